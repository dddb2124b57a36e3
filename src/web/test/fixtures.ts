import { HttpResponse } from "msw";
import type * as z from "zod";
import { authenticatedResponseSchema, loginResponseSchema } from "@contracts/auth";
import { ERROR_STATUS, errorBodySchema } from "@contracts/errors";
import type { ErrorCode } from "@contracts/errors";
import { userSchema } from "@contracts/me";
import type { UserDto } from "@contracts/me";

/*
 * Test data for web tests, always parsed with the contract's zod schemas: a fixture that no
 * longer matches what the server sends fails here, not silently in a page test.
 */

/** A signed-in person as `GET /api/v1/me` returns it. */
export function buildUser(overrides: Partial<UserDto> = {}): UserDto {
  return userSchema.parse({
    id: "UR-123-456-789",
    email: "ada@example.com",
    firstName: "Ada",
    lastName: "Lovelace",
    phone: null,
    jobTitle: null,
    locale: "en-GB",
    timezone: "Europe/London",
    dateFormat: "YYYY-MM-DD",
    timeFormat: "24h",
    newsOptIn: false,
    newsOptInChangedAt: null,
    mfaEnabled: false,
    pendingEmail: null,
    createdAt: "2026-01-05T09:30:00.000Z",
    ...overrides,
  });
}

/** `POST /auth/login` answer: fully signed in as `user`, or waiting for the code. */
export function buildLoginResponse(result: { user: UserDto } | "mfa_required"): z.infer<typeof loginResponseSchema> {
  return loginResponseSchema.parse(
    result === "mfa_required"
      ? { status: "mfa_required", methods: ["totp", "recovery_code"] }
      : { status: "authenticated", user: result.user },
  );
}

/** `{status:"authenticated", user, recoveryCodesLeft?}` of the code step and invitations. */
export function buildAuthenticatedResponse(
  user: UserDto,
  extra: { recoveryCodesLeft?: number } = {},
): z.infer<typeof authenticatedResponseSchema> {
  return authenticatedResponseSchema.parse({ status: "authenticated", user, ...extra });
}

/** Options of {@link errorResponse}. */
export interface ErrorResponseInit {
  message?: string;
  details?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * The contract's error answer for `code`, with the status `ERROR_STATUS` gives it:
 * `{"error": {code, message, details?}}`.
 */
export function errorResponse(code: ErrorCode, init: ErrorResponseInit = {}) {
  const body = errorBodySchema.parse({
    error: { code, message: init.message ?? code.replace(/_/g, " "), ...(init.details ? { details: init.details } : {}) },
  });
  return HttpResponse.json(body, { status: ERROR_STATUS[code], headers: init.headers ?? {} });
}

/**
 * The JSON body of a request the page sent, parsed with the contract's request schema (the
 * one the server validates with), so a form that sends the wrong shape fails the test.
 */
export async function readBody<Schema extends z.ZodType>(request: Request, schema: Schema): Promise<z.output<Schema>> {
  return schema.parse(await request.json());
}

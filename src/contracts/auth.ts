import * as z from "zod";
import { codeSchema, emailSchema, nameSchema, passwordInputSchema, tokenSchema } from "./common.js";
import { LIMITS } from "./limits.js";
import { timezoneSchema, userSchema } from "./me.js";
import { authenticationResponseSchema } from "./passkeys.js";

export const csrfResponseSchema = z.object({ csrfToken: z.string() });

/**
 * The email typed at sign-in: trimmed and lower-cased but not format-checked, so any string
 * that matches nobody gets the same 401 `invalid_credentials` as a wrong password.
 */
export const signInEmailSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(LIMITS.emailMaxLength)
  .transform((s) => s.toLowerCase());

export const loginSchema = z.object({ email: signInEmailSchema, password: passwordInputSchema }).strict();
export type LoginInput = z.infer<typeof loginSchema>;

/** The second steps a password sign-in may continue with. */
export const SECOND_STEP_METHODS = ["totp", "recovery_code", "passkey"] as const;
export type SecondStepMethod = (typeof SECOND_STEP_METHODS)[number];

/** Answer of a sign-in step. */
export const loginResponseSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("authenticated"), user: userSchema }),
  z.object({
    status: z.literal("mfa_required"),
    /** The second steps the person can take: a code (`totp`, `recovery_code`) and/or a passkey. */
    methods: z.array(z.enum(SECOND_STEP_METHODS)),
  }),
]);

export const loginMfaSchema = z.object({ code: codeSchema }).strict();
export const authenticatedResponseSchema = z.object({
  status: z.literal("authenticated"),
  user: userSchema,
  /** Set when a recovery code was used: how many are left. */
  recoveryCodesLeft: z.number().int().optional(),
});

/**
 * `POST /auth/reauthenticate`: the password (and a code when an authenticator app is on), or a
 * passkey assertion answering this session's `/auth/passkey/options` challenge.
 */
export const reauthenticateSchema = z
  .object({
    password: passwordInputSchema.optional(),
    code: codeSchema.optional(),
    passkey: authenticationResponseSchema.optional(),
  })
  .strict()
  .refine((body) => body.password !== undefined || body.passkey !== undefined, {
    message: "is required",
    path: ["password"],
  });

export const passwordResetSchema = z.object({ email: emailSchema }).strict();
/** Answer of `POST /auth/password-reset`: the same for every address (no enumeration). */
export const passwordResetRequestedSchema = z.object({ status: z.literal("accepted") });
export const passwordResetConfirmSchema = z.object({ token: tokenSchema, newPassword: passwordInputSchema }).strict();

/** `GET /auth/password-reset/check?token=…`: is the link still usable (without using it). */
export const passwordResetCheckQuerySchema = z.object({ token: tokenSchema }).strict();

/**
 * The answer for a usable reset link: whose password it sets, with the words the new password
 * must not contain (the page checks them as the person types); 400 `invalid_token` otherwise.
 */
export const passwordResetCheckSchema = z.object({ email: z.string(), firstName: z.string(), lastName: z.string() });

export const acceptInvitationSchema = z
  .object({
    token: tokenSchema,
    firstName: nameSchema,
    lastName: nameSchema,
    password: passwordInputSchema,
    /** The new person's time zone to start with (the browser's); UTC when left out. */
    timezone: timezoneSchema.optional(),
  })
  .strict();

import { ERROR_STATUS, type ErrorCode } from "../contracts/errors.js";

/** The one error class: a contract code, its status, a human message and optional details. */
export class AppError extends Error {
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: ErrorCode,
    options: {
      message?: string;
      details?: Record<string, unknown>;
      status?: number;
      cause?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(options.message ?? code.replaceAll("_", " "), { cause: options.cause });
    this.status = options.status ?? ERROR_STATUS[code];
    this.details = options.details;
    this.headers = options.headers;
  }
}

/** Guard clause: throws the error (or the error a factory makes) when the condition is false. */
export function assertThat(condition: unknown, error: AppError | (() => AppError)): asserts condition {
  if (!condition) throw typeof error === "function" ? error() : error;
}

/** Errors every feature uses. */
export const commonErrors = {
  notFound: (what = "resource") => new AppError("not_found", { message: `The ${what} was not found.` }),
  unauthenticated: () => new AppError("unauthenticated", { message: "Sign in to continue." }),
  validation: (fields: Record<string, string>) =>
    new AppError("validation_failed", { message: "Some fields are invalid.", details: { fields } }),
  rateLimited: (retryAfterSeconds: number, until?: number) =>
    new AppError("rate_limited", {
      message: `Too many attempts. Try again in ${retryAfterSeconds} seconds.`,
      details: { retryAfterSeconds, ...(until ? { until: new Date(until).toISOString() } : {}) },
      headers: { "retry-after": String(retryAfterSeconds) },
    }),
  notImplemented: () => new AppError("not_implemented", { message: "This endpoint is not available yet." }),
};

import * as z from "zod";

/**
 * Every wire error code of the HTTP API (see shared/api-contract.md), with the HTTP status
 * it is answered with. Declared once; server and web both import it.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_json: 400,
  invalid_token: 400,
  invalid_code: 400,
  invalid_passkey: 400,
  weak_password: 400,
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_password: 401,
  reauthentication_required: 401,
  mfa_required: 401,
  account_disabled: 401,
  password_reset_required: 401,
  csrf_failed: 403,
  forbidden: 403,
  mfa_setup_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  email_taken: 409,
  conflict: 409,
  mfa_already_enabled: 409,
  mfa_not_enabled: 409,
  mfa_required_by_account: 409,
  sole_admin: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  request_timeout: 408,
  uri_too_long: 414,
  headers_too_large: 431,
  rate_limited: 429,
  internal_error: 500,
  not_implemented: 501,
  service_unavailable: 503,
  /** The database is unreachable, full, read-only or locked: try again after `Retry-After`. */
  unavailable: 503,
} as const;

/** A wire error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The body of every error answer: `{"error": {code, message, details?}}`. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

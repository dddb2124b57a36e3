/**
 * The one way an API call fails in the web app: the contract's error body
 * `{"error": {code, message, details}}` plus the HTTP status.
 */
export class ApiError extends Error {
  /** HTTP status; 0 when the network failed before any answer. */
  readonly status: number;
  /** Wire code from the contract (`invalid_code`, `rate_limited`…), `network_error` or `internal_error`. */
  readonly code: string;
  /** `details` of the error body (e.g. `fields`, `accounts`, `retryAfterSeconds`). */
  readonly details: Record<string, unknown>;
  /** Seconds from the `Retry-After` header (or `details.retryAfterSeconds`), when given. */
  readonly retryAfterSeconds: number | undefined;
  /** When the wait ends (epoch ms), fixed when the answer arrived; undefined without a wait. */
  readonly retryAt: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: Record<string, unknown> | undefined;
    retryAfterSeconds?: number | undefined;
  }) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? {};
    this.retryAfterSeconds = init.retryAfterSeconds ?? readRetryAfterDetail(this.details);
    this.retryAt = this.retryAfterSeconds === undefined ? undefined : Date.now() + this.retryAfterSeconds * 1000;
  }

  /**
   * Per-field messages from `details.fields` of a 400 `validation_failed`
   * (or any error that names fields), keyed by field name.
   */
  get fieldErrors(): Record<string, string> {
    const fields = this.details.fields;
    if (!fields || typeof fields !== "object") return {};
    const result: Record<string, string> = {};
    for (const [name, message] of Object.entries(fields)) {
      if (typeof message === "string") result[name] = message;
      else if (Array.isArray(message) && typeof message[0] === "string") result[name] = message[0];
    }
    return result;
  }
}

function readRetryAfterDetail(details: Record<string, unknown>): number | undefined {
  const value = details.retryAfterSeconds;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** True when `error` is an {@link ApiError}, optionally with one of the given codes. */
export function isApiError(error: unknown, ...codes: string[]): error is ApiError {
  return error instanceof ApiError && (codes.length === 0 || codes.includes(error.code));
}

/**
 * Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date
 * (RFC 9110 §10.2.3). Undefined when absent or unparsable.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

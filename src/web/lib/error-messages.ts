import { isApiError } from "./api-error";
import { isBrowserOffline } from "./network-status";

/** What a failure says while the browser has no network: nothing was sent, nothing will be later. */
export const OFFLINE_MESSAGE = "You're offline. Nothing was sent: check your connection and try again.";

/**
 * Friendly text for every wire error code of the contract. The server's own `message` is
 * never shown for a 5xx (style guide §3); for 4xx it is shown only where the contract says
 * it carries a reason meant for people (`weak_password`).
 */
const MESSAGES: Record<string, string> = {
  invalid_credentials: "That email and password don't match. Check them and try again.",
  account_disabled: "This account has been disabled. Contact your administrator.",
  rate_limited: "Too many attempts. Please wait a moment and try again.",
  invalid_code: "That code isn't valid. Check your authenticator app and try again.",
  invalid_passkey: "The passkey could not be added. Try again.",
  invalid_password: "Your password is not correct.",
  weak_password: "Choose a stronger password.",
  email_taken: "That email address is already in use by another person.",
  invalid_token: "This link is invalid or has expired. Please ask for a new one.",
  mfa_already_enabled: "Two-factor authentication is already turned on.",
  mfa_not_enabled: "Two-factor authentication is not turned on.",
  mfa_required_by_account: "An account you belong to requires two-factor authentication, so it can't be turned off.",
  mfa_setup_required: "This account requires two-factor authentication. Set it up to continue.",
  mfa_required: "Enter the code from your authenticator app to continue.",
  password_reset_required:
    "Your account was secured and its password must be changed. Use the link we emailed you, or ask for a new one with “Forgot password?”.",
  sole_admin: "You are the only administrator of an account. Make someone else an administrator first.",
  reauthentication_required: "For your security, please confirm your password to continue.",
  csrf_failed: "Your session token expired. Reload the page and try again.",
  validation_failed: "Some fields need your attention.",
  bad_request: "The request could not be understood. Reload the page and try again.",
  not_found: "We couldn't find what you were looking for.",
  unauthenticated: "You are signed out. Please sign in again.",
  forbidden: "You don't have permission to do that.",
  payload_too_large: "That is too much data to send at once. Shorten your input and try again.",
  invalid_json: "The request could not be read. Reload the page and try again.",
  unsupported_media_type: "The request could not be read. Reload the page and try again.",
  request_timeout: "The request took too long to arrive. Check your connection and try again.",
  uri_too_long: "That request is too long. Shorten your input and try again.",
  headers_too_large: "Your browser sent too much with the request. Clearing this site's cookies may help.",
  method_not_allowed: "That action is not available.",
  conflict: "That change conflicts with the current state. Reload the page and try again.",
  not_implemented: "This feature is not available yet.",
  service_unavailable: "The service is temporarily unavailable. Please try again in a moment.",
  network_error: "We couldn't reach the server. Check your connection and try again.",
  internal_error: "Something went wrong on our side. Please try again.",
};

const FALLBACK = MESSAGES.internal_error as string;

/** `30 seconds`, `1 minute`, `5 minutes`, `2 hours` for a wait in seconds (rounded up). */
export function formatWaitDuration(seconds: number): string {
  const plural = (value: number, unit: string) => `${value} ${unit}${value === 1 ? "" : "s"}`;
  if (seconds < 60) return plural(Math.max(1, Math.ceil(seconds)), "second");
  if (seconds < 3600) return plural(Math.ceil(seconds / 60), "minute");
  return plural(Math.ceil(seconds / 3600), "hour");
}

/** The server's human reason for a `weak_password`, if it gave one. */
export function getWeakPasswordReason(error: unknown): string | undefined {
  if (!isApiError(error, "weak_password")) return undefined;
  const reason = error.details.reason;
  if (typeof reason === "string" && reason.trim()) return reason;
  return error.message.trim() || undefined;
}

/**
 * A sentence to show for any failure (an {@link ApiError} or anything else thrown).
 * For `rate_limited` it says how long to wait when the server told us.
 */
export function getErrorMessage(error: unknown): string {
  if (isBrowserOffline() && !(isApiError(error) && error.status > 0)) return OFFLINE_MESSAGE;
  if (isChunkLoadError(error)) return MESSAGES.network_error as string;
  if (!isApiError(error)) return FALLBACK;
  if (error.code === "rate_limited") {
    const wait = error.retryAfterSeconds;
    return wait === undefined
      ? (MESSAGES.rate_limited as string)
      : `Too many attempts. Please try again in ${formatWaitDuration(wait)}.`;
  }
  if (error.code === "weak_password") return getWeakPasswordReason(error) ?? (MESSAGES.weak_password as string);
  if (error.status >= 500 && !(error.code in MESSAGES)) return FALLBACK;
  return MESSAGES[error.code] ?? (error.status >= 500 ? FALLBACK : "That didn't work. Please try again.");
}

/**
 * A page's code that could not be fetched (the server is down, or was updated and no longer
 * has the old file): the browser's TypeError from a failed dynamic import, or Vite's error for
 * the page's stylesheet, which is fetched first.
 */
function isChunkLoadError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|importing a module script|module script failed|unable to preload css/i.test(error.message)
  );
}

/** True when the failure is that the server could not be reached (offline, down, or its code unavailable). */
export function isConnectionError(error: unknown): boolean {
  return isBrowserOffline() || isApiError(error, "network_error") || isChunkLoadError(error);
}

/** The known codes, for tests and for pages that switch on them. */
export const KNOWN_ERROR_CODES: readonly string[] = Object.keys(MESSAGES);

import { isApiError } from "../../../lib/api-error";
import { formatWaitDuration, getErrorMessage } from "../../../lib/error-messages";
import { useFormatters } from "../../../lib/formatters-context";

/**
 * The message for a failed sign-in step. For 429 `rate_limited` it says how long to wait
 * and until when (`Try again in 5 minutes, at 14:05.`); otherwise the friendly text.
 */
export function useAuthErrorMessage(error: unknown): string | undefined {
  const formatters = useFormatters();
  if (!error) return undefined;
  if (isApiError(error, "rate_limited") && error.retryAfterSeconds !== undefined && error.retryAt !== undefined) {
    const until = formatters.time(error.retryAt);
    return `Too many attempts. Try again in ${formatWaitDuration(error.retryAfterSeconds)}, at ${until}.`;
  }
  return getErrorMessage(error);
}

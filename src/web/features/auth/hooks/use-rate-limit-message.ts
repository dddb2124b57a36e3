import { isApiError } from "../../../lib/api-error";
import { formatWaitDuration, getErrorMessage } from "../../../lib/error-messages";
import { useFormatters } from "../../../lib/formatters-context";

/**
 * The message for a failed sign-in step. For 429 `rate_limited` it says how long to wait and,
 * for waits of a minute or more, until when (`Try again in 5 minutes, at 14:05.`): a clock time
 * to the minute adds nothing to "in 15 seconds". Otherwise the friendly text.
 */
export function useAuthErrorMessage(error: unknown): string | undefined {
  const formatters = useFormatters();
  if (!error) return undefined;
  if (isApiError(error, "rate_limited") && error.retryAfterSeconds !== undefined && error.retryAt !== undefined) {
    const wait = formatWaitDuration(error.retryAfterSeconds);
    if (error.retryAfterSeconds < 60) return `Too many attempts. Try again in ${wait}.`;
    return `Too many attempts. Try again in ${wait}, at ${formatters.time(error.retryAt)}.`;
  }
  return getErrorMessage(error);
}

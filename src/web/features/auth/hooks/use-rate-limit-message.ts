import { useEffect, useState } from "react";
import { isApiError } from "../../../lib/api-error";
import { formatWaitDuration, getErrorMessage } from "../../../lib/error-messages";
import { useFormatters } from "../../../lib/formatters-context";

/**
 * Seconds left of a 429 `rate_limited` wait (0 when there is none, or it is over), counting
 * down once a second, so the page can say how long is left and keep its button waiting.
 */
export function useRetryCountdown(error: unknown): number {
  const limited = isApiError(error, "rate_limited") ? error : undefined;
  const retryAt = limited?.retryAt;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (retryAt === undefined) return;
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= retryAt) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [retryAt]);
  if (retryAt === undefined) return 0;
  // `now` may predate the answer until the first tick: never more than the server's wait.
  return Math.max(0, Math.min(limited?.retryAfterSeconds ?? 0, Math.ceil((retryAt - now) / 1000)));
}

/**
 * The message for a failed sign-in step. For 429 `rate_limited` it counts down the wait and, for
 * waits of a minute or more, says until when (`Try again in 5 minutes, at 14:05.`); once the
 * wait is over it says so. Otherwise the friendly text.
 */
export function useAuthErrorMessage(error: unknown): string | undefined {
  const formatters = useFormatters();
  const secondsLeft = useRetryCountdown(error);
  if (!error) return undefined;
  if (isApiError(error, "rate_limited") && error.retryAt !== undefined) {
    if (secondsLeft === 0) return "You can try again now.";
    const wait = formatWaitDuration(secondsLeft);
    if (secondsLeft < 60) return `Too many attempts. Try again in ${wait}.`;
    return `Too many attempts. Try again in ${wait}, at ${formatters.time(error.retryAt)}.`;
  }
  return getErrorMessage(error);
}

import { QueryClient } from "@tanstack/react-query";
import { isApiError } from "./api-error";

/** Retries only what may succeed on retry: network failures and 5xx, at most twice. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (!isApiError(error)) return true;
  return error.status === 0 || error.status >= 500;
}

/**
 * The app's one QueryClient factory (a fresh one per test). Changes are sent at once or fail
 * (`networkMode: "always"`): TanStack's default pauses a change made offline and sends it when
 * the network returns, which runs actions the person has given up on since. Reads made offline
 * wait for the network and then load (nothing changes by reading).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: true },
      mutations: { retry: false, networkMode: "always" },
    },
  });
}

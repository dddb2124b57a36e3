import { useEffect, useRef, useSyncExternalStore } from "react";

function subscribe(listener: () => void): () => void {
  window.addEventListener("online", listener);
  window.addEventListener("offline", listener);
  return () => {
    window.removeEventListener("online", listener);
    window.removeEventListener("offline", listener);
  };
}

/** True while the browser says it has no network (`navigator.onLine`). */
export function isBrowserOffline(): boolean {
  return typeof navigator !== "undefined" && navigator.onLine === false;
}

/** Whether the browser is offline now, re-rendering when that changes. */
export function useIsOffline(): boolean {
  return useSyncExternalStore(subscribe, isBrowserOffline, () => false);
}

/**
 * Signals for requests the person may give up on: `next()` gives the signal of the next request
 * (aborting one still running), `abort()` gives up on it (Cancel), and leaving the page (unmount)
 * aborts it too, so an answer nobody waits for is never acted on.
 */
export function useAbortableRequest(): { next: () => AbortSignal; abort: () => void } {
  const controller = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => controller.current?.abort(), []);
  return {
    next: () => {
      controller.current?.abort();
      controller.current = new AbortController();
      return controller.current.signal;
    },
    abort: () => controller.current?.abort(),
  };
}

/** True for the rejection of a request that was aborted on purpose. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

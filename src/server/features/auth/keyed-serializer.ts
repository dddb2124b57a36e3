/**
 * Runs async work one at a time per key (in this process). Password checks of one account are
 * serialized so that parallel guesses cannot all pass the throttle check before the first
 * failure is counted (a time-of-check/time-of-use race on the rate limit, ASVS 15.4.2).
 */
export function createKeyedSerializer() {
  const tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier call with the same key has settled. */
  async function run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  }

  /** Keys with work queued or running (for tests and metrics). */
  function size(): number {
    return tails.size;
  }

  return { run, size };
}

/**
 * Runs async work one at a time per key, in this process: a call runs after every earlier call
 * with the same key has settled (whether it succeeded or failed), while calls with other keys
 * run alongside. For work of one key that must never overlap, like a check-then-count on a rate
 * limit, or writes that must land in the order they were asked for.
 */
export function createKeyedSerializer() {
  const tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier call with the same key has settled; settles as `work` does. */
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

  /** Resolves once no work is queued or running for any key, including work queued meanwhile. */
  async function idle(): Promise<void> {
    while (tails.size > 0) await Promise.all(tails.values());
  }

  return { run, size, idle };
}

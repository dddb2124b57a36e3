import { availableParallelism } from "node:os";
import { createArgon2Pool } from "./argon2-pool.js";
import type { Argon2Params } from "./argon2-protocol.js";

/** OWASP Password Storage Cheat Sheet headline argon2id parameters (m=19 MiB, t=2, p=1). */
export const ARGON2_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasherOptions {
  /** Hashes running at once; more wait in line. Default: {@link defaultMaxConcurrentHashes}. */
  maxConcurrent?: number;
  /** Waiters beyond the running ones; more are refused at once with 429. */
  maxQueued?: number;
  /** How long a waiter may wait before it is refused with 429. */
  maxWaitMs?: number;
  params?: Argon2Params;
}

/**
 * Hashes at once by default: one per CPU core. They run on argon2-pool.ts's own low-priority
 * threads (not libuv's pool, which keeps serving file reads and DNS), so all cores may hash
 * while nothing else needs them: sign-in reaches the machine's hash rate, and requests still
 * get the CPU first during a sign-in flood (docs/performance.md).
 */
export function defaultMaxConcurrentHashes(): number {
  return Math.max(1, availableParallelism());
}

/** Thrown when every hashing slot is taken and the wait queue is full or timed out (the HTTP layer answers 429). */
export class HasherBusyError extends Error {
  constructor() {
    super("Every password-hashing slot is busy.");
    this.name = "HasherBusyError";
  }
}

/**
 * argon2id hashing with a cap on concurrent hashes, so a sign-in flood cannot starve other
 * requests of CPU and memory (H6): excess work waits briefly, then fails with {@link HasherBusyError}.
 * It owns its argon2 worker threads: `close` stops them once the hashes under way are done.
 */
export function createPasswordHasher(options: PasswordHasherOptions = {}) {
  const pool = createArgon2Pool();
  const params = options.params ?? ARGON2_PARAMS;
  const maxConcurrent = options.maxConcurrent ?? defaultMaxConcurrentHashes();
  const maxQueued = options.maxQueued ?? 64;
  const maxWaitMs = options.maxWaitMs ?? 2_000;
  let running = 0;
  const queue: Array<{ start: () => void; timer: NodeJS.Timeout }> = [];

  function busy(): HasherBusyError {
    return new HasherBusyError();
  }

  async function withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (running >= maxConcurrent) {
      if (queue.length >= maxQueued) throw busy();
      await new Promise<void>((resolve, reject) => {
        const entry = {
          start: () => {
            clearTimeout(entry.timer);
            resolve();
          },
          timer: setTimeout(() => {
            queue.splice(queue.indexOf(entry), 1);
            reject(busy());
          }, maxWaitMs),
        };
        queue.push(entry);
      });
    } else running++;
    try {
      return await work();
    } finally {
      const next = queue.shift();
      if (next) next.start();
      else running--;
    }
  }

  /** argon2id PHC string of a password. */
  function hashPassword(password: string): Promise<string> {
    return withSlot(() => pool.hash(password, params));
  }

  /** True when `password` matches the PHC `stored` hash; false for malformed hashes. */
  function verifyPassword(stored: string, password: string): Promise<boolean> {
    return withSlot(async () => {
      try {
        return await pool.verify(stored, password);
      } catch {
        return false;
      }
    });
  }

  /** True when a stored hash used weaker or different parameters and should be rehashed. */
  function needsRehash(stored: string): boolean {
    const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
    if (!match) return true;
    return (
      Number(match[1]) !== params.memoryCost || Number(match[2]) !== params.timeCost || Number(match[3]) !== params.parallelism
    );
  }

  /** Stops the worker threads after the hashes under way; hashing afterwards fails (verifying answers false). */
  function close(): Promise<void> {
    return pool.close();
  }

  return { hashPassword, verifyPassword, needsRehash, params, close };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;

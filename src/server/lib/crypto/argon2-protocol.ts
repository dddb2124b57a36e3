/*
 * The messages between argon2-pool.ts and its worker threads (argon2-worker.ts). Types only:
 * the worker imports this module with `import type`, which Node erases, so it runs from src/ too.
 */

/** argon2id cost parameters, as @node-rs/argon2 names them. */
export interface Argon2Params {
  /** KiB of memory per hash. */
  memoryCost: number;
  /** Passes over the memory. */
  timeCost: number;
  /** Lanes. */
  parallelism: number;
}

/** A job for a worker; `id` comes back in its answer. */
export type Argon2Request =
  | { id: number; op: "hash"; password: string; params: Argon2Params }
  | { id: number; op: "verify"; stored: string; password: string };

/** A worker's answer to the request with the same `id`. `error` is argon2's refusal (e.g. a malformed stored hash). */
export type Argon2Response =
  | { id: number; op: "hash"; hash: string }
  | { id: number; op: "verify"; matches: boolean }
  | { id: number; op: "error"; message: string };

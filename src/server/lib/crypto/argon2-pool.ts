import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { siblingWorkerUrl } from "../worker-url.js";
import type { Argon2Params, Argon2Request, Argon2Response } from "./argon2-protocol.js";

/*
 * argon2id on dedicated worker threads (argon2-worker.ts) running at the LOWEST CPU priority, one
 * per core. A password hash is ~20 ms of pure CPU; on libuv's pool it ran at the same priority as
 * the event loop, so a sign-in flood took the cores away from every other request. At the lowest
 * priority the hashes use every core that is otherwise idle, and yield when requests need one.
 * - On Linux each worker puts its own thread in SCHED_IDLE (sched(7)): a waking event loop
 *   preempts an idle-policy thread at once, where a nice-19 thread may first finish its time
 *   slice (EEVDF). Measured under the bench's sign-in flood, requests kept more of their unloaded
 *   rate with SCHED_IDLE than with nice 19 alone, while fewer sign-ins finished alongside:
 *   requests first, as intended. Sign-in alone runs at the same rate.
 * - Everywhere (and where chrt is missing) the thread is also at nice 19.
 */

const WORKER_URL = siblingWorkerUrl(import.meta.url, "argon2-worker");

/** Threads of argon2 work; each is started on demand and stopped by `close`. */
export interface Argon2Pool {
  /** argon2id PHC string of `password`, computed at low priority. */
  hash(password: string, params: Argon2Params): Promise<string>;
  /** True when `password` matches the PHC string `stored`; rejects on a malformed hash. */
  verify(stored: string, password: string): Promise<boolean>;
  /** Refuses new work, lets accepted work finish, then stops every thread; resolves once they are gone. */
  close(): Promise<void>;
}

export interface Argon2PoolOptions {
  /** Threads at most; default one per core. */
  maxThreads?: number;
}

interface Job {
  request: Argon2Request;
  settle: (response: Argon2Response) => void;
  fail: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

/** A pool of argon2 worker threads, owned by whoever creates it (the password hasher). */
export function createArgon2Pool(options: Argon2PoolOptions = {}): Argon2Pool {
  const maxThreads = options.maxThreads ?? availableParallelism();
  const slots: Slot[] = [];
  const waiting: Job[] = [];
  const accepted = new Set<Promise<void>>();
  let nextId = 1;
  let closing: Promise<void> | undefined;

  function startWorker(): Slot {
    const worker = new Worker(WORKER_URL);
    worker.unref(); // an idle pool never keeps the process alive (a busy one does: see dispatch)
    const slot: Slot = { worker, job: undefined };
    worker.on("message", (response: Argon2Response) => {
      const job = slot.job;
      slot.job = undefined;
      worker.unref();
      if (job && job.request.id === response.id) job.settle(response);
      dispatch();
    });
    worker.on("error", (error) => retire(slot, error));
    worker.on("exit", (code) => retire(slot, new Error(`argon2 worker exited with code ${code}`)));
    return slot;
  }

  /** A worker that failed is dropped (its job fails); the next job starts a fresh one. */
  function retire(slot: Slot, error: Error): void {
    const index = slots.indexOf(slot);
    if (index === -1) return;
    slots.splice(index, 1);
    slot.job?.fail(error);
    slot.job = undefined;
    dispatch();
  }

  function dispatch(): void {
    for (let job = waiting[0]; job; job = waiting[0]) {
      let slot = slots.find((s) => s.job === undefined);
      if (!slot && slots.length < maxThreads) {
        slot = startWorker();
        slots.push(slot);
      }
      if (!slot) return;
      waiting.shift();
      slot.job = job;
      slot.worker.ref(); // a CLI awaiting a hash must not exit before it arrives
      slot.worker.postMessage(job.request);
    }
  }

  /** Queues a request; resolves with `read` of its answer, rejects with argon2's refusal or a worker's failure. */
  function run<T>(request: Argon2Request, read: (response: Argon2Response) => T | undefined): Promise<T> {
    if (closing) return Promise.reject(new Error("the argon2 pool is closed"));
    const result = new Promise<T>((resolve, reject) => {
      const settle = (response: Argon2Response) => {
        const value = read(response);
        if (value !== undefined) resolve(value);
        else reject(new Error(response.op === "error" ? response.message : `argon2 worker answered ${response.op}`));
      };
      waiting.push({ request, settle, fail: reject });
      dispatch();
    });
    const forget = (): void => void accepted.delete(settled);
    const settled: Promise<void> = result.then(forget, forget);
    accepted.add(settled);
    return result;
  }

  return {
    hash: (password, params) =>
      run({ id: nextId++, op: "hash", password, params }, (response) => (response.op === "hash" ? response.hash : undefined)),
    verify: (stored, password) =>
      run({ id: nextId++, op: "verify", stored, password }, (response) =>
        response.op === "verify" ? response.matches : undefined,
      ),
    close: () => {
      closing ??= (async () => {
        await Promise.all(accepted);
        await Promise.all(slots.map((slot) => slot.worker.terminate()));
      })();
      return closing;
    },
  };
}

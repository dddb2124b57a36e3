import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/*
 * argon2id on dedicated worker threads running at the LOWEST CPU priority, one per core. A
 * password hash is ~20 ms of pure CPU; on libuv's pool it ran at the same priority as the event
 * loop, so a sign-in flood took the cores away from every other request (on 2 cores, signed-in
 * GET /me fell to 0.11× its unloaded rate, bench/ issue 8). At the lowest priority the hashes use
 * every core that is otherwise idle, and yield when requests need one.
 * - On Linux each worker puts its own thread in SCHED_IDLE (sched(7); `chrt --idle`, util-linux,
 *   as Node has no API for it): a waking event loop preempts an idle-policy thread at once,
 *   where a nice-19 thread may first finish its time slice (EEVDF). With nice 19 alone, GET /me
 *   kept 0.53–0.64× its unloaded rate during the bench's sign-in flood; with SCHED_IDLE
 *   0.62–0.71×, while fewer sign-ins finished alongside (41–59/s against 61–83/s): requests
 *   first, as intended. Sign-in alone runs at the same rate.
 * - Everywhere (and where chrt is missing) the thread is also at nice 19: on Linux the nice value
 *   is per thread (setpriority(2), NOTES); elsewhere setPriority is best effort.
 */

const require = createRequire(import.meta.url);

/** The worker's whole program (CommonJS, evaluated): lower its own thread's priority, then hash on request. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
try { require("node:os").setPriority(19); } catch {}
if (process.platform === "linux") {
  try {
    const tid = require("node:fs").readlinkSync("/proc/thread-self").split("/").pop();
    require("node:child_process").execFileSync("chrt", ["--idle", "--pid", "0", tid], { stdio: "ignore", timeout: 5000 });
  } catch {}
}
const argon2 = require(workerData.argon2);
parentPort.on("message", ({ id, op, a, b }) => {
  try {
    const result = op === "hash" ? argon2.hashSync(a, b) : argon2.verifySync(a, b);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

interface Job {
  id: number;
  op: "hash" | "verify";
  a: string;
  b: unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

let nextId = 1;
const slots: Slot[] = [];
const waiting: Job[] = [];

function startWorker(): Slot {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { argon2: require.resolve("@node-rs/argon2") } });
  worker.unref(); // an idle pool never keeps the process alive (a busy one does: see dispatch)
  const slot: Slot = { worker, job: undefined };
  worker.on("message", (message: { id: number; result?: unknown; error?: string }) => {
    const job = slot.job;
    slot.job = undefined;
    worker.unref();
    if (job && job.id === message.id) {
      if (message.error !== undefined) job.reject(new Error(message.error));
      else job.resolve(message.result);
    }
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
  slot.job?.reject(error);
  slot.job = undefined;
  dispatch();
}

function dispatch(): void {
  while (waiting.length > 0) {
    let slot = slots.find((s) => s.job === undefined);
    if (!slot && slots.length < availableParallelism()) {
      slot = startWorker();
      slots.push(slot);
    }
    if (!slot) return;
    const job = waiting.shift()!;
    slot.job = job;
    slot.worker.ref(); // a CLI awaiting a hash must not exit before it arrives
    slot.worker.postMessage({ id: job.id, op: job.op, a: job.a, b: job.b });
  }
}

function run<T>(op: Job["op"], a: string, b: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    waiting.push({ id: nextId++, op, a, b, resolve: resolve as (value: unknown) => void, reject });
    dispatch();
  });
}

/** argon2id PHC string of `password` (options as @node-rs/argon2's `hash`), computed at low priority. */
export function hashInPool(password: string, options: Record<string, number>): Promise<string> {
  return run<string>("hash", password, options);
}

/** True when `password` matches the PHC string `stored` (as @node-rs/argon2's `verify`); rejects on a malformed hash. */
export function verifyInPool(stored: string, password: string): Promise<boolean> {
  return run<boolean>("verify", stored, password);
}

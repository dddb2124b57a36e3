import { Worker } from "node:worker_threads";
import { siblingWorkerUrl } from "../lib/worker-url.js";
import type { CheckpointReport, CheckpointRequest, CheckpointWorkerData } from "./checkpoint-protocol.js";

/*
 * SQLite's WAL checkpoints, off every request's path.
 *
 * By default SQLite checkpoints when a commit leaves more than 1,000 pages in the WAL: the
 * connection that commits copies them into the database file and fsyncs it, before its commit
 * returns. On our one connection, that means inside a request, with the event loop blocked: a
 * large write (revoking thousands of sessions) paid for scattered page writes and an fsync of a
 * large file.
 *
 * The server's connection turns automatic checkpoints off. A worker thread (checkpoint-worker.ts),
 * on its own connection, runs a PASSIVE checkpoint every `intervalMs`: it copies what no reader
 * still needs, never waits for a lock and blocks no reader or writer. When there is nothing to
 * copy, it only reads the WAL index.
 * Only the server runs it (main.ts); the CLI and the tests keep SQLite's automatic checkpoints.
 */

const WORKER_URL = siblingWorkerUrl(import.meta.url, "checkpoint-worker");

export interface Checkpointer {
  /** Stops the worker (after a last checkpoint). */
  stop(): Promise<void>;
}

/** Starts checkpointing `file` in a worker thread; `onError` hears about a checkpoint that failed. */
export function startCheckpointer(
  file: string,
  options: { intervalMs?: number; onError?: (message: string) => void } = {},
): Checkpointer {
  const workerData: CheckpointWorkerData = { file, intervalMs: options.intervalMs ?? 1_000 };
  const worker = new Worker(WORKER_URL, { workerData });
  worker.on("message", (report: CheckpointReport) => {
    if (report.type === "error") options.onError?.(report.message);
  });
  worker.on("error", (error) => options.onError?.(error.message));
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    stop: async () => {
      worker.ref(); // keeps the process alive until the last checkpoint is done
      const stop: CheckpointRequest = { type: "stop" };
      worker.postMessage(stop);
      await exited;
    },
  };
}

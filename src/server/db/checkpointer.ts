import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/*
 * SQLite's WAL checkpoints, off every request's path (issue 8).
 *
 * By default SQLite checkpoints when a commit leaves more than 1,000 pages in the WAL: the
 * connection that commits copies them into the database file and fsyncs it, before its commit
 * returns. On our one connection, that means inside a request, with the event loop blocked.
 * Revoking 10,000 sessions writes ~1,500 pages, so that request paid for it. On the AMD host, 1,500
 * scattered page writes and an fsync of a large file took 27–54 ms plus 57–72 ms.
 *
 * The server's connection turns automatic checkpoints off. This worker thread, on its own
 * connection, runs a PASSIVE checkpoint every `intervalMs`: it copies what no reader still
 * needs, never waits for a lock and blocks no reader or writer. When there is nothing to copy,
 * it only reads the WAL index.
 * Only the server runs it (main.ts); the CLI and the tests keep SQLite's automatic checkpoints.
 */

export interface Checkpointer {
  /** Stops the worker (after a last checkpoint). */
  stop(): Promise<void>;
}

/** The worker's code (CommonJS, evaluated): better-sqlite3 is required by the path resolved here. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 0");
const checkpoint = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** Starts checkpointing `file` in a worker thread; `onError` hears about a checkpoint that failed. */
export function startCheckpointer(
  file: string,
  options: { intervalMs?: number; onError?: (message: string) => void } = {},
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs: options.intervalMs ?? 1_000 } });
  worker.on("message", (message: { error?: string }) => {
    if (message.error) options.onError?.(message.error);
  });
  worker.on("error", (error) => options.onError?.(error.message));
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    stop: async () => {
      worker.ref(); // keeps the process alive until the last checkpoint is done
      worker.postMessage("stop");
      await exited;
    },
  };
}

import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import type { CheckpointReport, CheckpointRequest, CheckpointWorkerData } from "./checkpoint-protocol.js";

/*
 * The thread of checkpointer.ts: its own connection to the database file, a PASSIVE checkpoint
 * every `intervalMs` (copies what no reader still needs, never waits for a lock), failures
 * reported and survived. Imports packages and types only (see lib/worker-url.ts).
 */

const port = parentPort;
if (!port) throw new Error("checkpoint-worker runs as a worker thread of checkpointer.ts");
const { file, intervalMs } = workerData as CheckpointWorkerData;
const db = new Database(file);
db.pragma("busy_timeout = 0");

const checkpoint = (): void => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    const report: CheckpointReport = { type: "error", message: error instanceof Error ? error.message : String(error) };
    port.postMessage(report);
  }
};

const timer = setInterval(checkpoint, intervalMs);
port.on("message", (request: CheckpointRequest) => {
  if (request.type !== "stop") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  port.close();
});

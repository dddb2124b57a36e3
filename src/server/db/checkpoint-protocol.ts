/*
 * The messages between checkpointer.ts and its worker thread (checkpoint-worker.ts). Types only:
 * the worker imports this module with `import type`, which Node erases, so it runs from src/ too.
 */

/** What the worker starts with. */
export interface CheckpointWorkerData {
  /** The SQLite database file (in WAL mode) to checkpoint. */
  file: string;
  /** Time between two PASSIVE checkpoints. */
  intervalMs: number;
}

/** To the worker: `stop` runs a last checkpoint, closes the connection and ends the thread. */
export type CheckpointRequest = { type: "stop" };

/** From the worker: a checkpoint that failed (the next one is tried on time all the same). */
export type CheckpointReport = { type: "error"; message: string };

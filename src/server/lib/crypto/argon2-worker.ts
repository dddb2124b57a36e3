import { execFileSync } from "node:child_process";
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { hashSync, verifySync } from "@node-rs/argon2";
import type { Argon2Request, Argon2Response } from "./argon2-protocol.js";

/*
 * One thread of argon2-pool.ts: lowers its own thread's priority, then hashes and verifies on
 * request, answering every request (argon2's refusals as `error`) and surviving each.
 * Imports packages and types only (see lib/worker-url.ts).
 */

/** `Algorithm.Argon2id` of @node-rs/argon2 (an ambient const enum, which isolated modules cannot read). */
const ARGON2ID = 2;

/**
 * Nice 19 everywhere (on Linux the nice value is per thread, setpriority(2) NOTES; elsewhere best
 * effort), and on Linux SCHED_IDLE through `chrt --idle` (util-linux; Node has no API for it).
 * Each step is best effort: without it the thread still hashes, at a higher priority.
 */
function lowerOwnThreadPriority(): void {
  try {
    setPriority(19);
  } catch {
    // Not permitted here: the thread keeps its priority.
  }
  if (process.platform !== "linux") return;
  try {
    const tid = readlinkSync("/proc/thread-self").split("/").pop() ?? "";
    execFileSync("chrt", ["--idle", "--pid", "0", tid], { stdio: "ignore", timeout: 5000 });
  } catch {
    // chrt missing or refused: nice 19 alone.
  }
}

/** The answer to one request; argon2's errors become an `error` answer. */
function answer(request: Argon2Request): Argon2Response {
  try {
    if (request.op === "hash") {
      return { id: request.id, op: "hash", hash: hashSync(request.password, { algorithm: ARGON2ID, ...request.params }) };
    }
    return { id: request.id, op: "verify", matches: verifySync(request.stored, request.password) };
  } catch (error) {
    return { id: request.id, op: "error", message: error instanceof Error ? error.message : String(error) };
  }
}

const port = parentPort;
if (!port) throw new Error("argon2-worker runs as a worker thread of argon2-pool.ts");
lowerOwnThreadPriority();
port.on("message", (request: Argon2Request) => port.postMessage(answer(request)));

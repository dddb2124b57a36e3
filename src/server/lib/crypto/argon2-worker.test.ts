import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { siblingWorkerUrl } from "../worker-url.js";
import type { Argon2Request, Argon2Response } from "./argon2-protocol.js";
import { ARGON2_PARAMS } from "./password-hasher.js";

describe("the argon2 worker's protocol", () => {
  const workers: Worker[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
  });

  /** A worker thread of argon2-worker.ts (the module next to this test, as the pool finds it). */
  function startWorker() {
    const worker = new Worker(siblingWorkerUrl(import.meta.url, "argon2-worker"));
    workers.push(worker);
    const exits: number[] = [];
    worker.on("exit", (code) => exits.push(code));
    const ask = (request: Argon2Request) =>
      new Promise<Argon2Response>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.postMessage(request);
      });
    return { ask, exits };
  }

  it("answers each request by its id: a hash, then whether a password matches it", async () => {
    const { ask } = startWorker();
    const hashed = await ask({ id: 7, op: "hash", password: "correct horse battery", params: ARGON2_PARAMS });
    expect(hashed).toEqual({ id: 7, op: "hash", hash: expect.stringMatching(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/) });
    const stored = hashed.op === "hash" ? hashed.hash : "";
    expect(await ask({ id: 8, op: "verify", stored, password: "correct horse battery" })).toEqual({
      id: 8,
      op: "verify",
      matches: true,
    });
    expect(await ask({ id: 9, op: "verify", stored, password: "Correct horse battery" })).toEqual({
      id: 9,
      op: "verify",
      matches: false,
    });
  });

  it("answers an error for a malformed hash without dying, and answers the next request", async () => {
    const { ask, exits } = startWorker();
    const refused = await ask({ id: 1, op: "verify", stored: "not a hash", password: "x" });
    expect(refused).toEqual({ id: 1, op: "error", message: expect.any(String) });
    const hashed = await ask({ id: 2, op: "hash", password: "still here", params: ARGON2_PARAMS });
    expect(hashed).toMatchObject({ id: 2, op: "hash" });
    expect(exits).toEqual([]);
  });
});

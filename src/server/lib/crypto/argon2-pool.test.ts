import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createTestApp } from "@test/create-test-app.js";
import { ARGON2_PARAMS } from "./password-hasher.js";
import { createArgon2Pool } from "./argon2-pool.js";
import { closedAfterEach } from "./crypto.test-support.js";

/** Scheduling of each thread of this process: policy (sched(7): 0 normal, 5 SCHED_IDLE) and nice. */
function threads(): Array<{ tid: number; policy: number; nice: number }> {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is proc(5)'s field 3
    return { tid: Number(tid), nice: Number(fields[16]), policy: Number(fields[38]) };
  });
}

/** Threads that appeared since `before` and run in SCHED_IDLE: the pool's. */
function idleThreadsSince(before: ReturnType<typeof threads>): ReturnType<typeof threads> {
  const known = new Set(before.map((t) => t.tid));
  return threads().filter((t) => !known.has(t.tid) && t.policy === 5);
}

describe.runIf(process.platform === "linux")("the argon2id pool (Linux)", () => {
  const openPool = closedAfterEach(createArgon2Pool);

  it("H6: hashes run on threads in SCHED_IDLE at nice 19, while the calling thread keeps its priority", async () => {
    expect(spawnSync("chrt", ["--version"]).error, "chrt (Debian package util-linux) must be installed").toBeUndefined();
    const pool = openPool();
    const before = threads();
    const stored = await pool.hash("correct horse battery", ARGON2_PARAMS);
    expect(await pool.verify(stored, "correct horse battery")).toBe(true);
    const hashing = idleThreadsSince(before);
    expect(hashing.length).toBeGreaterThanOrEqual(1);
    expect(hashing.every((t) => t.nice === 19)).toBe(true);
    const main = threads().find((t) => t.tid === process.pid);
    expect(main).toMatchObject({ policy: 0, nice: 0 });
  });

  it("close lets the work under way finish, then frees every thread, and refuses new work", async () => {
    const pool = openPool({ maxThreads: 2 });
    const before = threads();
    await Promise.all([pool.hash("first password", ARGON2_PARAMS), pool.hash("second password", ARGON2_PARAMS)]);
    const started = idleThreadsSince(before).map((t) => t.tid);
    expect(started).toHaveLength(2);

    const underWay = pool.hash("third password", ARGON2_PARAMS);
    await pool.close();
    expect(await underWay).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const alive = new Set(threads().map((t) => t.tid));
    expect(started.filter((tid) => alive.has(tid))).toEqual([]);
    await expect(pool.hash("too late", ARGON2_PARAMS)).rejects.toThrow("closed");
    await expect(pool.verify("not a hash", "x")).rejects.toThrow("closed");
  });

  it("a malformed stored hash is refused, and the same thread goes on verifying", async () => {
    const pool = openPool({ maxThreads: 1 });
    const before = threads();
    const stored = await pool.hash("correct horse battery", ARGON2_PARAMS);
    const thread = idleThreadsSince(before);
    await expect(pool.verify("not a hash", "correct horse battery")).rejects.toThrow();
    expect(await pool.verify(stored, "correct horse battery")).toBe(true);
    expect(idleThreadsSince(before)).toEqual(thread);
  });

  it("an app's close stops the threads of its password hasher", async () => {
    const t = await createTestApp();
    try {
      const before = threads();
      await t.app.services.hasher.hashPassword("correct horse battery");
      const started = idleThreadsSince(before).map((thread) => thread.tid);
      expect(started.length).toBeGreaterThanOrEqual(1);
      await t.app.close();
      const alive = new Set(threads().map((thread) => thread.tid));
      expect(started.filter((tid) => alive.has(tid))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

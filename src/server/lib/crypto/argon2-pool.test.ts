import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ARGON2_PARAMS } from "./password-hasher.js";
import { hashInPool, verifyInPool } from "./argon2-pool.js";

/** Scheduling of each thread of this process: policy (sched(7): 0 normal, 5 SCHED_IDLE) and nice. */
function threads(): Array<{ tid: number; policy: number; nice: number }> {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is proc(5)'s field 3
    return { tid: Number(tid), nice: Number(fields[16]), policy: Number(fields[38]) };
  });
}

describe.runIf(process.platform === "linux")("the argon2id pool (Linux)", () => {
  it("H6: hashes run on threads in SCHED_IDLE at nice 19, while the calling thread keeps its priority", async () => {
    expect(spawnSync("chrt", ["--version"]).error, "chrt (Debian package util-linux) must be installed").toBeUndefined();
    const before = threads();
    const stored = await hashInPool("correct horse battery", { algorithm: 2, ...ARGON2_PARAMS });
    expect(await verifyInPool(stored, "correct horse battery")).toBe(true);
    const known = new Set(before.map((t) => t.tid));
    const added = threads().filter((t) => !known.has(t.tid));
    const hashing = added.filter((t) => t.policy === 5);
    expect(hashing.length).toBeGreaterThanOrEqual(1);
    expect(hashing.every((t) => t.nice === 19)).toBe(true);
    const main = threads().find((t) => t.tid === process.pid);
    expect(main).toMatchObject({ policy: 0, nice: 0 });
  });
});

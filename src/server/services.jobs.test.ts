import { afterEach, describe, expect, it, vi } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { PRUNE_JOB } from "./features/sessions/history-pruner.js";
import { pendingCutOf, personWithPendingCut } from "./features/sessions/sessions.test-support.js";

/*
 * The background jobs as a running node schedules them (main.ts), on the app's own services.
 * Only the intervals are faked: the jobs' own work runs for real, on the test database.
 */

const t = useTestApp();
afterEach(() => {
  vi.useRealTimers();
});

/** A person whose cut is committed but that no node is settling (a crash right after the commit). */
async function unsettledCut(): Promise<string> {
  return (await personWithPendingCut(t)).id;
}

async function pendingCutAt(userId: string): Promise<number | null> {
  return (await pendingCutOf(t, userId)).unsettledCutAt;
}

/** Polls `check` in real time (vi.waitFor would move the faked intervals on) until it holds. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The start-up pruning run, which also settles pending cuts, has let go of its lock. */
async function startUpPruneDone(): Promise<boolean> {
  const lock = await t.app.services.db
    .selectFrom("jobLocks")
    .select("lockedUntil")
    .where("name", "=", PRUNE_JOB)
    .executeTakeFirst();
  return lock?.lockedUntil === 0;
}

describe("background jobs of a running node", () => {
  it("C9: the sweep settles a cut no node is settling on its 10-second tick, and stops with the node", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const jobs = t.app.services.startJobs();
    await eventually(startUpPruneDone);
    const userId = await unsettledCut();

    await vi.advanceTimersByTimeAsync(9_999);
    expect(await pendingCutAt(userId)).not.toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    await eventually(async () => (await pendingCutAt(userId)) === null);

    jobs.stop();
    const later = await unsettledCut();
    await vi.advanceTimersByTimeAsync(60_000);
    await new Promise((resolve) => setTimeout(resolve, 200)); // real time for a sweep that should not run
    await t.app.services.sessions.whenSettled();
    expect(await pendingCutAt(later)).not.toBeNull();
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestApp, type TestApp } from "../../test/create-test-app.js";
import { insertUser, openSession } from "../../test/factories.js";
import { PRUNE_JOB } from "./features/sessions/history-pruner.js";
import { createSessionCuts } from "./features/sessions/session-cuts.js";
import { startBackgroundJobs } from "./jobs.js";

/*
 * The background jobs as a running node schedules them (main.ts), on the app's own services.
 * Only the intervals are faked: the jobs' own work runs for real, on the test database.
 */

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  vi.useRealTimers();
  await t.close();
});

/** A person with two sessions whose cut is committed but that no node is settling (a crash right after the commit). */
async function unsettledCut(): Promise<string> {
  const user = await insertUser(t);
  const kept = await openSession(t, user.id);
  await openSession(t, user.id);
  const { db } = t.app.services;
  const cuts = createSessionCuts({ db, clock: t.clock });
  await db.transaction().execute((trx) => cuts.cut(trx, user.id, "revoked", kept.session.id));
  return user.id;
}

async function pendingCutAt(userId: string): Promise<number | null> {
  const row = await t.app.services.db
    .selectFrom("users")
    .select("unsettledCutAt")
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  return row.unsettledCutAt;
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
    const jobs = startBackgroundJobs(t.app);
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

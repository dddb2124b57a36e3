import { beforeEach, describe, expect, it } from "vitest";
import type { SessionsTable } from "../../db/schema.js";
import { newOpaqueId } from "../../lib/ids.js";
import { createJobLock } from "../jobs/job-lock.js";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, sessionRow } from "@test/factories.js";
import { MAIL_RETENTION_MS, PRUNE_JOB, THROTTLE_CEILING, THROTTLE_RETENTION_MS, TOKEN_GRACE_MS } from "./history-pruner.js";

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const DAY = 24 * 3_600_000;
const HISTORY_DAYS = 30;

const t = useTestApp({ SESSION_HISTORY_DAYS: String(HISTORY_DAYS) }, { startAt: NOW });
let userId: string;
beforeEach(async () => {
  userId = (await insertUser(t)).id;
});

const db = () => t.app.services.db;

async function insertSession(overrides: Partial<SessionsTable>): Promise<string> {
  const signedInAt = NOW - 40 * DAY;
  const row = sessionRow({
    userId,
    createdAt: signedInAt,
    lastSeenAt: signedInAt,
    authenticatedAt: signedInAt,
    expiresAt: NOW - 39 * DAY,
    ...overrides,
  });
  await db().insertInto("sessions").values(row).execute();
  return row.id;
}

const remainingSessions = async () => (await db().selectFrom("sessions").select("id").execute()).map((r) => r.id).sort();

describe("history pruning (SESSION_HISTORY_DAYS, at start and hourly)", () => {
  it("deletes exactly the ended sessions older than the retention: cutoff − 1 ms goes, cutoff and cutoff + 1 ms stay", async () => {
    const cutoff = NOW - HISTORY_DAYS * DAY;
    await insertSession({ endedAt: cutoff - 1, endReason: "signed_out" });
    const atCutoff = await insertSession({ endedAt: cutoff, endReason: "revoked" });
    const after = await insertSession({ endedAt: cutoff + 1, endReason: "expired" });
    const report = await t.app.services.historyPruner.pruneOnce();
    expect(report.sessionsDeleted).toBe(1);
    expect(await remainingSessions()).toEqual([atCutoff, after].sort());
  });

  it("marks sessions past expiry or idle as expired at the moment they stopped being valid; deletes them once past retention", async () => {
    const absolute = await insertSession({ createdAt: NOW - 2 * DAY, lastSeenAt: NOW - DAY - 10, expiresAt: NOW - DAY });
    const idle = await insertSession({ createdAt: NOW - 3 * 3_600_000, lastSeenAt: NOW - 2 * 3_600_000, expiresAt: NOW + DAY });
    const idleAtLimit = await insertSession({ createdAt: NOW - 3_600_000, lastSeenAt: NOW - 3_600_000, expiresAt: NOW + DAY });
    const alive = await insertSession({ createdAt: NOW - 3_600_000, lastSeenAt: NOW - 3_600_000 + 1, expiresAt: NOW + DAY });
    const ancient = await insertSession({}); // expired 39 days ago, never marked: past the 30-day history
    expect(await t.app.services.historyPruner.pruneOnce()).toMatchObject({ sessionsExpired: 4, sessionsDeleted: 1 });
    const endOf = async (id: string) =>
      db().selectFrom("sessions").select(["endedAt", "endReason"]).where("id", "=", id).executeTakeFirst();
    expect(await endOf(absolute)).toEqual({ endedAt: NOW - DAY, endReason: "expired" });
    expect(await endOf(idle)).toEqual({ endedAt: NOW - 3_600_000, endReason: "expired" });
    expect(await endOf(idleAtLimit)).toEqual({ endedAt: NOW, endReason: "expired" });
    expect(await endOf(alive)).toEqual({ endedAt: null, endReason: null });
    expect(await endOf(ancient)).toBeUndefined();
  });

  it("walks every live session in batches, ties on the sign-in time included, and ends only the stale ones", async () => {
    const other = (await insertUser(t)).id;
    const at = NOW - 3 * 3_600_000;
    const stale: string[] = [];
    const alive: string[] = [];
    for (const owner of [userId, other]) {
      for (let i = 0; i < 3; i++)
        stale.push(await insertSession({ userId: owner, createdAt: at, lastSeenAt: at, expiresAt: NOW + DAY }));
      stale.push(await insertSession({ userId: owner, createdAt: at, lastSeenAt: NOW - 1, expiresAt: NOW - 1 }));
      for (let i = 0; i < 2; i++)
        alive.push(await insertSession({ userId: owner, createdAt: at, lastSeenAt: NOW - 1, expiresAt: NOW + DAY }));
    }
    const report = await t.app.services.historyPruner.pruneOnce({ batchSize: 3 });
    expect(report.sessionsExpired).toBe(stale.length);
    const live = await db().selectFrom("sessions").select("id").where("endedAt", "is", null).execute();
    expect(live.map((r) => r.id).sort()).toEqual(alive.sort());
  });

  it("works in batches until done", async () => {
    for (let i = 0; i < 7; i++) await insertSession({ endedAt: NOW - 60 * DAY, endReason: "revoked" });
    const report = await t.app.services.historyPruner.pruneOnce({ batchSize: 2 });
    expect(report.sessionsDeleted).toBe(7);
    expect(await remainingSessions()).toEqual([]);
  });

  it("lets the event loop serve requests between batches (SQLite runs each batch synchronously)", async () => {
    for (let i = 0; i < 3; i++) await insertSession({ endedAt: NOW - 60 * DAY, endReason: "revoked" });
    let running = true;
    let ranDuringPruning = false;
    setImmediate(() => {
      ranDuringPruning = running;
    });
    expect((await t.app.services.historyPruner.pruneOnce({ batchSize: 1 })).sessionsDeleted).toBe(3);
    running = false;
    expect(ranDuringPruning).toBe(true);
  });

  it("deletes single-use tokens expired or used more than a day ago (boundary ± 1 ms)", async () => {
    const token = (id: string, expiresAt: number, usedAt: number | null) => ({
      id,
      tokenHash: newOpaqueId(),
      purpose: "password_reset",
      userId,
      email: null,
      payload: null,
      createdAt: NOW - 10 * DAY,
      expiresAt,
      usedAt,
    });
    const cutoff = NOW - TOKEN_GRACE_MS;
    await db()
      .insertInto("oneTimeTokens")
      .values([
        token("expired-old", cutoff - 1, null),
        token("expired-at-cutoff", cutoff, null),
        token("used-old", NOW + DAY, cutoff - 1),
        token("used-at-cutoff", NOW + DAY, cutoff),
        token("fresh", NOW + DAY, null),
      ])
      .execute();
    expect((await t.app.services.historyPruner.pruneOnce()).tokensDeleted).toBe(2);
    const left = (await db().selectFrom("oneTimeTokens").select("id").execute()).map((r) => r.id).sort();
    expect(left).toEqual(["expired-at-cutoff", "fresh", "used-at-cutoff"]);
  });

  it("forgets idle throttle rows, but never a locked one or one at the NIST ceiling of consecutive failures", async () => {
    const cutoff = NOW - THROTTLE_RETENTION_MS;
    const row = (key: string, updatedAt: number, extra: { lockedUntil?: number; consecutiveFailures?: number } = {}) => ({
      key,
      failures: 1,
      consecutiveFailures: extra.consecutiveFailures ?? 3,
      windowStartedAt: updatedAt,
      lockedUntil: extra.lockedUntil ?? 0,
      updatedAt,
    });
    await db()
      .insertInto("throttles")
      .values([
        row("idle", cutoff - 1),
        row("at-cutoff", cutoff),
        row("locked", cutoff - 1, { lockedUntil: NOW + 1 }),
        row("ceiling", cutoff - 1, { consecutiveFailures: THROTTLE_CEILING }),
      ])
      .execute();
    expect((await t.app.services.historyPruner.pruneOnce()).throttlesDeleted).toBe(1);
    const left = (await db().selectFrom("throttles").select("key").execute()).map((r) => r.key).sort();
    expect(left).toEqual(["at-cutoff", "ceiling", "locked"]);
  });

  it("deletes sent and failed mail past retention, never mail still to send", async () => {
    const cutoff = NOW - MAIL_RETENTION_MS;
    const mail = (id: string, status: string, createdAt: number) => ({
      id,
      toAddress: "a@example.com",
      subject: "s",
      bodyEncrypted: null,
      status,
      attempts: 1,
      nextAttemptAt: NOW + DAY,
      lastError: null,
      createdAt,
      sentAt: status === "sent" ? createdAt : null,
    });
    await db()
      .insertInto("mailOutbox")
      .values([
        mail("sent-old", "sent", cutoff - 1),
        mail("failed-old", "failed", cutoff - 1),
        mail("sent-at-cutoff", "sent", cutoff),
        mail("pending-old", "pending", cutoff - 1),
      ])
      .execute();
    expect((await t.app.services.historyPruner.pruneOnce()).mailsDeleted).toBe(2);
    const left = (await db().selectFrom("mailOutbox").select("id").execute()).map((r) => r.id).sort();
    expect(left).toEqual(["pending-old", "sent-at-cutoff"]);
  });
});

describe("the pruning job is safe with several nodes (job_locks lease)", () => {
  it("runs on one node at a time, and frees the lock when done", async () => {
    const nodeA = createJobLock({ db: db(), clock: t.clock });
    const nodeB = createJobLock({ db: db(), clock: t.clock });
    const inner = await nodeA.runExclusive(PRUNE_JOB, 60_000, async () =>
      nodeB.runExclusive(PRUNE_JOB, 60_000, async () => "B ran"),
    );
    expect(inner).toBeUndefined();
    expect(await nodeB.runExclusive(PRUNE_JOB, 60_000, async () => "B ran")).toBe("B ran");
  });

  it("a crashed node's lock is taken over once its lease ran out", async () => {
    await db()
      .insertInto("jobLocks")
      .values({ name: PRUNE_JOB, lockedUntil: NOW + 1000, owner: "crashed-node" })
      .execute();
    await insertSession({ endedAt: NOW - 60 * DAY, endReason: "revoked" });
    expect(await t.app.services.historyPruner.runJob()).toBeUndefined();
    expect(await remainingSessions()).toHaveLength(1);
    t.clock.advance(1000);
    expect(await t.app.services.historyPruner.runJob()).toMatchObject({ sessionsDeleted: 1 });
    expect(await remainingSessions()).toHaveLength(0);
  });

  it("a node's pruning run is skipped while another node holds the lock, and runs once it is free", async () => {
    for (let i = 0; i < 3; i++) await insertSession({ endedAt: NOW - 60 * DAY, endReason: "revoked" });
    const otherNode = createJobLock({ db: db(), clock: t.clock });
    const whileHeld = await otherNode.runExclusive(PRUNE_JOB, 60_000, () => t.app.services.historyPruner.runJob());
    expect(whileHeld).toBeUndefined();
    expect(await remainingSessions()).toHaveLength(3);
    expect(await t.app.services.historyPruner.runJob()).toMatchObject({ sessionsDeleted: 3 });
  });
});

import { describe, expect, it } from "vitest";
import { secondNode } from "@test/create-test-app.js";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, openSession, sessionRow } from "@test/factories.js";
import type { EndReason } from "../../../contracts/sessions.js";
import {
  cutWithoutSettling,
  listSessions,
  pendingCutOf as pendingCutOfPerson,
  personWithPendingCut,
  refusingSessionWrites,
  sessionCutsOn,
} from "./sessions.test-support.js";
import { SETTLE_RETRY_MAX_MS, SETTLE_RETRY_MS } from "./session-cuts.js";
import { SETTLE_BATCH } from "./sessions.repo.js";

/*
 * Ending all of a person's sessions is one cut (session-cuts.ts, docs/design/session-cuts.md):
 * one write to the person's row, then their sessions' rows are marked ended afterwards. These tests hold the
 * marking back (they cut through the cuts' own mechanism, without the engine's background kick)
 * to show that nothing depends on it: the sessions stop at once and no page ever shows them as
 * live.
 */

const t = useTestApp();

const MINUTE = 60_000;

const cut = (userId: string, reason: EndReason, keep?: string) => cutWithoutSettling(t, userId, reason, keep);
const pendingCutOf = (userId: string) => pendingCutOfPerson(t, userId);

async function endOf(id: string) {
  return t.app.services.db.selectFrom("sessions").select(["endedAt", "endReason"]).where("id", "=", id).executeTakeFirstOrThrow();
}

describe("C9: ending all of a person's sessions is one cut, marked ended afterwards", () => {
  it("C9: every other session answers 401 at once, while its row is still unmarked; the pages never show it as live", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    const b = await openSession(t, user.id);
    const c = await openSession(t, user.id);
    const at = t.clock.now();
    expect(await cut(user.id, "revoked", a.session.id)).toBe(2);

    // The cut wrote the person's row, not the sessions'.
    expect(await endOf(b.session.id)).toEqual({ endedAt: null, endReason: null });
    expect(await pendingCutOf(user.id)).toEqual({ unsettledCutAt: at, unsettledCutReason: "revoked" });
    expect((await b.client.get("/api/v1/me")).statusCode).toBe(401);
    expect((await c.client.get("/api/v1/me")).statusCode).toBe(401);
    expect((await a.client.get("/api/v1/me")).statusCode).toBe(200);

    t.clock.advance(MINUTE);
    expect((await listSessions(a.client)).body.items.map((s) => s.id)).toEqual([a.session.id]);
    const history = await listSessions(a.client, "?status=ended");
    expect(history.body.items.map((s) => [s.id, s.endReason]).sort()).toEqual(
      [
        [b.session.id, "revoked"],
        [c.session.id, "revoked"],
      ].sort(),
    );
    // Marked as ended when the cut happened, not when a page read them.
    expect(await endOf(b.session.id)).toEqual({ endedAt: at, endReason: "revoked" });
    expect(await pendingCutOf(user.id)).toEqual({ unsettledCutAt: null, unsettledCutReason: null });
  });

  it("C9: revoking one session settles a pending cut first, so a cut session is not found (404), not revoked again", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    const b = await openSession(t, user.id);
    await cut(user.id, "password_changed", a.session.id);
    expect((await a.client.delete(`/api/v1/me/sessions/${b.session.id}`)).statusCode).toBe(404);
    expect(await endOf(b.session.id)).toMatchObject({ endReason: "password_changed" });
  });

  it("C9: after revoke-others over HTTP, this node marks the others ended in the background, at the cut's time", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    const b = await openSession(t, user.id);
    const at = t.clock.now();
    expect((await a.client.post("/api/v1/me/sessions/revoke-others")).json()).toEqual({ revoked: 1 });
    await t.app.services.sessions.whenSettled();
    expect(await endOf(b.session.id)).toEqual({ endedAt: at, endReason: "signed_out_elsewhere" });
    expect(await pendingCutOf(user.id)).toEqual({ unsettledCutAt: null, unsettledCutReason: null });
  });

  it("C8: a cut on one node is refused on another node's very next request", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    const b = await openSession(t, user.id);
    const other = await secondNode(t);
    try {
      const there = other.client();
      there.setSessionToken(b.token);
      expect((await there.get("/api/v1/me")).statusCode).toBe(200);
      await cut(user.id, "revoked", a.session.id);
      expect((await there.get("/api/v1/me")).statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });

  it(`C9: a cut of ${2 * SETTLE_BATCH + 5} sessions is marked in batches of ${SETTLE_BATCH}, and the cut stays pending until none is left`, async () => {
    const user = await insertUser(t);
    const now = t.clock.now();
    const rows = Array.from({ length: 2 * SETTLE_BATCH + 5 }, (_, i) =>
      sessionRow({ userId: user.id, createdAt: now - i, lastSeenAt: now, expiresAt: now + 3_600_000 }),
    );
    for (let i = 0; i < rows.length; i += 500) {
      await t.app.services.db
        .insertInto("sessions")
        .values(rows.slice(i, i + 500))
        .execute();
    }
    expect(await cut(user.id, "password_changed")).toBe(rows.length);
    expect(await t.app.services.sessions.settleSessionsOf(user.id)).toBe(rows.length);
    const left = await t.app.services.db
      .selectFrom("sessions")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("userId", "=", user.id)
      .where("endedAt", "is", null)
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
    expect(await pendingCutOf(user.id)).toEqual({ unsettledCutAt: null, unsettledCutReason: null });
  });

  it("C7: a second cut while the first is still pending keeps each cut's own time and reason", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    const b = await openSession(t, user.id);
    const first = t.clock.now();
    await cut(user.id, "revoked", a.session.id);
    t.clock.advance(MINUTE);
    const c = await openSession(t, user.id);
    const second = t.clock.now();
    expect(await cut(user.id, "password_changed", a.session.id)).toBe(1);
    await t.app.services.sessions.settleSessionsOf(user.id);
    expect(await endOf(b.session.id)).toEqual({ endedAt: first, endReason: "revoked" });
    expect(await endOf(c.session.id)).toEqual({ endedAt: second, endReason: "password_changed" });
    expect((await a.client.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("C9: a sign-in racing a cut waits for it and gets the new generation, so its session stays valid", async () => {
    const user = await insertUser(t);
    const kept = await openSession(t, user.id);
    const other = await openSession(t, user.id);
    const { db, sessions } = t.app.services;
    const cuts = sessionCutsOn(t);
    let cutWritten!: () => void;
    const written = new Promise<void>((resolve) => (cutWritten = resolve));
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    // The cut's transaction stays open after its writes. On PostgreSQL the sign-in waits on the
    // person's row lock (a plain read of the generation would not wait: checked, it fails here);
    // on SQLite on the one connection the transaction holds.
    const cutting = db.transaction().execute(async (trx) => {
      const ended = await cuts.cut(trx, user.id, "revoked", kept.session.id);
      cutWritten();
      await committing;
      return ended;
    });
    await written;
    let signedIn = false;
    const signIn = db
      .transaction()
      .execute((trx) => sessions.createSession(trx, { userId: user.id, ip: "203.0.113.9", userAgent: null }))
      .then((made) => {
        signedIn = true;
        return made;
      });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(signedIn).toBe(false); // waiting for the cut's transaction
    commit();
    expect(await cutting).toBe(1);
    const { token } = await signIn;
    expect(await sessions.validateSessionToken(token)).toBeDefined();
    expect(await sessions.validateSessionToken(kept.token)).toBeDefined();
    expect(await sessions.validateSessionToken(other.token)).toBeUndefined();
  });

  it("C9: a session made after a cut works and is listed as live, before and after the cut is settled", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    await openSession(t, user.id);
    await cut(user.id, "revoked", a.session.id);
    const fresh = await openSession(t, user.id);
    expect((await fresh.client.get("/api/v1/me")).statusCode).toBe(200);
    const listed = await listSessions(fresh.client);
    expect(listed.body.items.map((s) => s.id).sort()).toEqual([a.session.id, fresh.session.id].sort());
    expect((await fresh.client.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("C9: a cut with nothing to end writes nothing and leaves no pending cut", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    expect(await cut(user.id, "revoked", a.session.id)).toBe(0);
    expect(await pendingCutOf(user.id)).toEqual({ unsettledCutAt: null, unsettledCutReason: null });
    expect((await a.client.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("C9: the sweep settles a cut no node is settling (a crash after the commit), oldest first", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    const b = await openSession(t, user.id);
    await cut(user.id, "revoked", a.session.id);
    expect(await t.app.services.sessions.settlePendingCuts()).toBe(1);
    expect(await endOf(b.session.id)).toMatchObject({ endReason: "revoked" });
    expect(await t.app.services.sessions.settlePendingCuts()).toBe(0);
  });

  it("C9: the sweep counts only the people it settled, so a repeating caller stops when settling fails", async () => {
    const users = [await personWithPendingCut(t), await personWithPendingCut(t)];
    const refusing = refusingSessionWrites(t);
    const failing = sessionCutsOn(t, refusing.db);
    expect(await failing.settlePending(2)).toBe(0);
    expect(await pendingCutOf(users[0]!.id)).toMatchObject({ unsettledCutReason: "revoked" });
    expect(await t.app.services.sessions.settlePendingCuts(2)).toBe(2);
  });

  it("C9: a person whose settling keeps failing does not hold up the sweep; they are tried again after a doubling wait", async () => {
    const stuck = await personWithPendingCut(t);
    t.clock.advance(1_000); // stuck's cut is the oldest
    const [b, c] = [await personWithPendingCut(t), await personWithPendingCut(t)];
    // A database that refuses to mark the stuck person's sessions (bad data, a broken row).
    const refusing = refusingSessionWrites(t, stuck.id);
    const warnings: unknown[] = [];
    const engine = sessionCutsOn(t, refusing.db, { warn: (obj: unknown) => warnings.push(obj) });
    expect(await engine.settlePending(1)).toBe(0); // the oldest, stuck, fails
    expect(await engine.settlePending(1)).toBe(1); // then the sweep passes over them
    expect(await engine.settlePending(1)).toBe(1);
    expect(await pendingCutOf(b.id)).toEqual({ unsettledCutAt: null, unsettledCutReason: null });
    expect(await pendingCutOf(c.id)).toEqual({ unsettledCutAt: null, unsettledCutReason: null });
    expect(await engine.settlePending(1)).toBe(0);
    expect(refusing.refusals()).toBe(1);
    expect(engine.failureStats()).toEqual({ failuresTotal: 1, failingPeople: 1 });
    expect(warnings[0]).toMatchObject({ userId: stuck.id, failures: 1, retryInSeconds: SETTLE_RETRY_MS / 1000 });
    // Tried again once the wait is over, then after twice the wait, up to the cap.
    t.clock.advance(SETTLE_RETRY_MS);
    await engine.settlePending(1);
    expect(refusing.refusals()).toBe(2);
    t.clock.advance(SETTLE_RETRY_MS);
    await engine.settlePending(1);
    expect(refusing.refusals()).toBe(2);
    t.clock.advance(SETTLE_RETRY_MS);
    await engine.settlePending(1);
    expect(refusing.refusals()).toBe(3);
    expect(warnings[2]).toMatchObject({ failures: 3, retryInSeconds: (4 * SETTLE_RETRY_MS) / 1000 });
    for (let i = 0; i < 10; i++) {
      t.clock.advance(SETTLE_RETRY_MAX_MS);
      await engine.settlePending(1);
    }
    expect(warnings.at(-1)).toMatchObject({ failures: 13, retryInSeconds: SETTLE_RETRY_MAX_MS / 1000 });
    // Once the person is settled elsewhere (here by the app's own engine), the failure is forgotten.
    expect(await t.app.services.sessions.settlePendingCuts(10)).toBe(1);
    await engine.settlePending(1);
    expect(engine.failureStats()).toEqual({ failuresTotal: 13, failingPeople: 0 });
  });

  it("C9: the pruning job settles pending cuts before its walk, so a cut session that also went idle ends `revoked`, not `expired`", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    const b = await openSession(t, user.id);
    const at = t.clock.now();
    await cut(user.id, "revoked", a.session.id);
    t.clock.advance(2 * 60 * MINUTE); // b (and a) are now idle past SESSION_IDLE_MINUTES
    const report = await t.app.services.historyPruner.pruneOnce();
    expect(report.cutsSettled).toBe(1);
    expect(await endOf(b.session.id)).toEqual({ endedAt: at, endReason: "revoked" });
    expect(await endOf(a.session.id)).toMatchObject({ endReason: "expired" });
  });
});

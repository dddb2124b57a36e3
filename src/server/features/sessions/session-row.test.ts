import { describe, expect, it } from "vitest";
import { insertUser, openSession } from "@test/factories.js";
import { useTestApp } from "@test/use-test-app.js";
import { hashToken } from "../../lib/crypto/hash-token.js";

/*
 * The session check's select list and its decoder are written side by side, by position: read a
 * session and its person back through the real statement and compare every field with the rows
 * Kysely reads by name, on both databases.
 */
describe("the session check's row", () => {
  const t = useTestApp();

  it("decodes every field of the session and of its person, and the facts around them", async () => {
    const user = await insertUser(t);
    const { token, session } = await openSession(t, user.id);
    const { db, sessionRows } = t.app.services;
    const row = await sessionRows.findForCheck(hashToken(token), t.clock.now());
    expect(row?.session).toEqual(
      await db.selectFrom("sessions").selectAll().where("id", "=", session.id).executeTakeFirstOrThrow(),
    );
    expect(row?.user).toEqual(await db.selectFrom("users").selectAll().where("id", "=", user.id).executeTakeFirstOrThrow());
    expect(row).toMatchObject({ mfaEnabled: false, activeAccountPolicy: null, pendingEmail: null });
  });

  it("decodes every field a session card shows", async () => {
    const user = await insertUser(t);
    const { session } = await openSession(t, user.id);
    const [card] = await t.app.services.sessionRows.readPage("live", user.id, undefined, 10);
    const stored = await t.app.services.db
      .selectFrom("sessions")
      .selectAll()
      .where("id", "=", session.id)
      .executeTakeFirstOrThrow();
    expect(card).toEqual({
      id: stored.id,
      createdAt: stored.createdAt,
      lastSeenAt: stored.lastSeenAt,
      expiresAt: stored.expiresAt,
      endedAt: stored.endedAt,
      endReason: stored.endReason,
      ip: stored.ip,
      userAgent: stored.userAgent,
      mfaVerified: stored.mfaVerified,
    });
  });
});

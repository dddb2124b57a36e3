import { describe, expect, it } from "vitest";
import { sessionsResponseSchema, sessionSchema } from "../../../contracts/sessions.js";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, openSession, signedIn, UA } from "@test/factories.js";
import { readAllPages } from "@test/test-client.js";
import { listSessions, openPendingSession } from "./sessions.test-support.js";

const t = useTestApp();

const MINUTE = 60_000;

describe("GET /me/sessions", () => {
  it("C9: lists the current session flagged and the others, newest first, with created, last seen, UA, IP and device", async () => {
    const user = await insertUser(t);
    const laptop = await signedIn(t, user, { ip: "203.0.113.10", userAgent: UA.chromeWindows });
    t.clock.advance(MINUTE);
    await signedIn(t, user, { ip: "198.51.100.7", userAgent: UA.safariIphone });
    const { status, body } = await listSessions(laptop);
    expect(status).toBe(200);
    const page = sessionsResponseSchema.parse(body);
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((s) => [s.current, s.ip, s.browser, s.os, s.deviceType])).toEqual([
      [false, "198.51.100.7", "Safari 17", "iOS 17", "mobile"],
      [true, "203.0.113.10", "Chrome 126", "Windows", "desktop"],
    ]);
    const [phone, current] = page.items;
    expect(phone?.userAgent).toBe(UA.safariIphone);
    expect(Date.parse(phone?.createdAt ?? "") - Date.parse(current?.createdAt ?? "")).toBe(MINUTE);
    expect(current).toMatchObject({ endedAt: null, endReason: null, mfa: false, location: null });
    expect(current?.lastSeenAt).toBe(new Date(t.clock.now()).toISOString()); // this very request
    expect(Object.keys(current ?? {}).sort()).toEqual(Object.keys(sessionSchema.shape).sort());
  });

  it("GET /me/sessions/current answers the session making the request (the page's 'this device' card)", async () => {
    const user = await insertUser(t);
    const client = await signedIn(t, user, { ip: "198.51.100.7", userAgent: UA.safariIphone });
    await signedIn(t, user);
    const response = await client.get("/api/v1/me/sessions/current");
    expect(response.statusCode).toBe(200);
    const current = sessionSchema.parse(response.json());
    expect(current).toMatchObject({
      current: true,
      ip: "198.51.100.7",
      browser: "Safari 17",
      deviceType: "mobile",
      endedAt: null,
    });
    expect(response.body).not.toContain(client.sessionToken() ?? "missing");
    expect((await t.client().get("/api/v1/me/sessions/current")).statusCode).toBe(401);
  });

  it("answers 401 without a session", async () => {
    const response = await t.client().get("/api/v1/me/sessions");
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("unauthenticated");
  });

  it("leaves out sessions still waiting for their MFA code", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    await openPendingSession(t, user.id);
    expect((await listSessions(client)).body.items).toHaveLength(1);
    expect((await listSessions(client, "?status=ended")).body.items).toHaveLength(0);
  });

  it("C5: an idle session is never listed as active; it shows in the history as expired, ended when it went idle", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    const { session: idle } = await openSession(t, user.id);
    t.clock.advance(50 * MINUTE);
    await client.get("/api/v1/me/sessions"); // keeps the current one alive
    t.clock.advance(15 * MINUTE);
    const active = await listSessions(client);
    expect(active.body.items.map((s) => s.id)).not.toContain(idle.id);
    const ended = await listSessions(client, "?status=ended");
    expect(ended.body.items).toEqual([
      expect.objectContaining({
        id: idle.id,
        endReason: "expired",
        endedAt: new Date(idle.lastSeenAt + 60 * MINUTE).toISOString(),
      }),
    ]);
  });

  it("history: ended sessions with their reason, most recently ended first", async () => {
    const user = await insertUser(t);
    const current = await signedIn(t, user, { ip: "203.0.113.1" });
    const signedOut = await signedIn(t, user, { ip: "203.0.113.2" });
    await signedIn(t, user, { ip: "203.0.113.3" });
    const toRevoke = (await listSessions(current)).body.items.find((s) => s.ip === "203.0.113.3");
    t.clock.advance(MINUTE);
    expect((await signedOut.post("/api/v1/auth/logout")).statusCode).toBe(204);
    t.clock.advance(MINUTE);
    expect((await current.delete(`/api/v1/me/sessions/${toRevoke?.id}`)).statusCode).toBe(204);
    const { body } = await listSessions(current, "?status=ended");
    expect(body.items.map((s) => s.endReason)).toEqual(["revoked", "signed_out"]);
    expect(body.items.every((s) => s.current === false && typeof s.endedAt === "string")).toBe(true);
    expect((await listSessions(current)).body.items).toHaveLength(1);
  });

  it("keyset pagination returns every active session exactly once, ties on the timestamp included", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    for (let i = 0; i < 11; i++) {
      await openSession(t, user.id);
      if (i % 4 === 0) t.clock.advance(1000); // several sessions share a creation time
    }
    const { ids, pages } = await readAllPages(client, "/api/v1/me/sessions", 3);
    expect(pages).toBe(4);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it("keyset pagination returns every ended session exactly once", async () => {
    const user = await insertUser(t);
    const { client, session } = await openSession(t, user.id);
    for (let i = 0; i < 9; i++) await openSession(t, user.id);
    t.clock.advance(1000);
    await t.app.services.sessions.endUserSessions(t.app.services.db, user.id, "revoked", session.id); // 9 share endedAt
    const { ids } = await readAllPages(client, "/api/v1/me/sessions?status=ended", 2);
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
  });

  it.each([
    ["?cursor=bm90LWEtY3Vyc29y", "cursor"],
    ["?limit=0", "limit"],
    ["?limit=101", "limit"],
    ["?status=everything", "status"],
  ])("answers 400 validation_failed for %s", async (query, field) => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    const response = await client.get(`/api/v1/me/sessions${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: "validation_failed",
      details: { fields: { [field]: expect.any(String) } },
    });
  });
});

describe("DELETE /me/sessions/{id} and POST /me/sessions/revoke-others", () => {
  it("revoking the current session signs the person out and clears the cookie", async () => {
    const user = await insertUser(t);
    const client = await signedIn(t, user);
    const [current] = (await listSessions(client)).body.items;
    const response = await client.delete(`/api/v1/me/sessions/${current?.id}`);
    expect(response.statusCode).toBe(204);
    const cleared = response.cookies.find((c) => c.name === "pc_session");
    expect(cleared).toMatchObject({ value: "", maxAge: 0 });
    expect((await client.get("/api/v1/me/sessions")).statusCode).toBe(401);
  });

  it("revoke-others answers how many ended, keeps the current one, and has nothing to do the second time", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    await openSession(t, user.id);
    await openSession(t, user.id);
    expect((await client.post("/api/v1/me/sessions/revoke-others")).json()).toEqual({ revoked: 2 });
    expect((await client.post("/api/v1/me/sessions/revoke-others")).json()).toEqual({ revoked: 0 });
    expect((await listSessions(client)).body.items).toHaveLength(1);
  });

  it("answers 404 for a session of the person that already ended", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    const other = await openSession(t, user.id);
    expect((await client.delete(`/api/v1/me/sessions/${other.session.id}`)).statusCode).toBe(204);
    expect((await client.delete(`/api/v1/me/sessions/${other.session.id}`)).json().error.code).toBe("not_found");
  });

  it("refuses unexpected body fields and over-long ids with 400, changing nothing", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    const other = await openSession(t, user.id);
    expect((await client.delete(`/api/v1/me/sessions/${other.session.id}`, { isAdmin: true })).statusCode).toBe(400);
    expect((await client.delete(`/api/v1/me/sessions/${"x".repeat(65)}`)).statusCode).toBe(400);
    expect((await other.client.get("/api/v1/me/sessions")).statusCode).toBe(200);
  });
});

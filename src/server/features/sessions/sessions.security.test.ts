import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, openSession, signedIn, TEST_PASSWORD } from "@test/factories.js";
import { expectSessionTokenRefused } from "@test/expectations.js";
import { eventsOf } from "@test/inspect.js";
import { listSessions, openPendingSession } from "./sessions.test-support.js";

const t = useTestApp();

const MINUTE = 60_000;

async function sessionRow(id: string) {
  return t.app.services.db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

describe("C4: a signed-out or revoked session cannot be used again", () => {
  it("C4: after logout, replaying the old cookie answers 401", async () => {
    const user = await insertUser(t);
    const client = await signedIn(t, user);
    const token = client.sessionToken() ?? "";
    const logout = await client.post("/api/v1/auth/logout");
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((c) => c.name === "pc_session")).toMatchObject({ value: "", maxAge: 0 });
    const response = await expectSessionTokenRefused(t, token, "/api/v1/me/sessions");
    expect(response.json().error.code).toBe("unauthenticated");
  });

  it("C4: after its revocation from another session, replaying a session's cookie answers 401", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    const b = await openSession(t, user.id);
    expect((await a.client.delete(`/api/v1/me/sessions/${b.session.id}`)).statusCode).toBe(204);
    await expectSessionTokenRefused(t, b.token, "/api/v1/me/sessions");
    expect((await b.client.post("/api/v1/me/sessions/revoke-others")).statusCode).toBe(401);
  });
});

describe("C9: people see their sessions and end them after re-authenticating", () => {
  it("C9: the list holds no raw token and no token hash anywhere in the JSON", async () => {
    const user = await insertUser(t);
    const a = await signedIn(t, user);
    const b = await signedIn(t, user);
    const { raw } = await listSessions(a);
    const ended = await listSessions(a, "?status=ended");
    const hashes = (await t.app.services.db.selectFrom("sessions").select("tokenHash").execute()).map((r) => r.tokenHash);
    for (const secret of [a.sessionToken(), b.sessionToken(), ...hashes]) {
      expect(secret).toBeTruthy();
      expect(raw).not.toContain(secret);
      expect(ended.raw).not.toContain(secret);
    }
    expect(raw).not.toMatch(/token/i);
  });

  it("C9: revoking one session makes its cookie get 401 while the revoker goes on; recorded as session_revoked", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    const b = await openSession(t, user.id);
    expect((await a.client.delete(`/api/v1/me/sessions/${b.session.id}`)).statusCode).toBe(204);
    expect((await b.client.get("/api/v1/me/sessions")).statusCode).toBe(401);
    expect((await a.client.get("/api/v1/me/sessions")).statusCode).toBe(200);
    expect(await sessionRow(b.session.id)).toMatchObject({ endReason: "revoked", endedAt: t.clock.now() });
    const [event] = await eventsOf(t, user.id, "session_revoked");
    expect(event).toMatchObject({ ip: "203.0.113.20", sessionRef: a.session.id });
    expect(JSON.parse(event?.details ?? "{}")).toEqual({ sessionId: b.session.id, current: false });
  });

  it('C9: "sign out everywhere else" ends every other session (MFA-pending ones too) and keeps the current one', async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    const b = await openSession(t, user.id);
    const c = await openSession(t, user.id);
    await openPendingSession(t, user.id);
    expect((await a.client.post("/api/v1/me/sessions/revoke-others")).json()).toEqual({ revoked: 3 });
    expect((await b.client.get("/api/v1/me/sessions")).statusCode).toBe(401);
    expect((await c.client.get("/api/v1/me/sessions")).statusCode).toBe(401);
    expect((await listSessions(a.client)).body.items.map((s) => s.id)).toEqual([a.session.id]);
    const [event] = await eventsOf(t, user.id, "sessions_revoked_others");
    expect(JSON.parse(event?.details ?? "{}")).toEqual({ revoked: 3 });
  });

  it("C9: a session signed in longer ago than the re-authentication age must confirm the password first", async () => {
    const user = await insertUser(t);
    const a = await signedIn(t, user);
    const b = await openSession(t, user.id);
    t.clock.advance(11 * MINUTE); // REAUTH_MAX_AGE_MINUTES is 10; the session stays alive (idle 60 min)
    const url = `/api/v1/me/sessions/${b.session.id}`;

    const bare = await a.delete(url);
    expect(bare.statusCode).toBe(401);
    expect(bare.json().error).toMatchObject({
      code: "reauthentication_required",
      details: { passwordRequired: true, codeRequired: false },
    });
    expect((await a.post("/api/v1/me/sessions/revoke-others")).json().error.code).toBe("reauthentication_required");
    expect((await a.delete(url, { password: "not my password at all" })).json().error.code).toBe("invalid_password");
    expect(await sessionRow(b.session.id)).toMatchObject({ endedAt: null });
    expect((await b.client.get("/api/v1/me/sessions")).statusCode).toBe(200);

    expect((await a.delete(url, { password: TEST_PASSWORD })).statusCode).toBe(204);
    expect((await b.client.get("/api/v1/me/sessions")).statusCode).toBe(401);
    expect((await a.post("/api/v1/me/sessions/revoke-others", { password: TEST_PASSWORD })).json()).toEqual({ revoked: 0 });
  });

  it("C9: after POST /auth/reauthenticate the session may revoke without sending the password again", async () => {
    const user = await insertUser(t);
    const a = await signedIn(t, user);
    const b = await openSession(t, user.id);
    t.clock.advance(11 * MINUTE);
    expect((await a.post("/api/v1/auth/reauthenticate", { password: TEST_PASSWORD })).statusCode).toBe(204);
    expect((await a.delete(`/api/v1/me/sessions/${b.session.id}`)).statusCode).toBe(204);
  });
});

describe("C10: no IDOR on sessions", () => {
  it("C10: user A revoking user B's session id gets 404 (like an unknown id); B's session still works; I2: authz_fail is recorded", async () => {
    const [ada, bob] = [await insertUser(t), await insertUser(t)];
    const a = await openSession(t, ada.id);
    const b = await openSession(t, bob.id);
    const foreign = await a.client.delete(`/api/v1/me/sessions/${b.session.id}`);
    const unknown = await a.client.delete("/api/v1/me/sessions/AAAAAAAAAAAAAAAAAAAAAA");
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual(unknown.json());
    expect(foreign.json().error.code).toBe("not_found");
    expect((await b.client.get("/api/v1/me/sessions")).statusCode).toBe(200);
    expect(await sessionRow(b.session.id)).toMatchObject({ endedAt: null, endReason: null });
    expect((await eventsOf(t, ada.id, "authz_fail")).map((e) => e.result)).toEqual(["failure", "failure"]);
    expect(await eventsOf(t, bob.id)).toEqual([]);
  });

  it("C10: A's list never shows B's sessions, and revoke-others leaves B alone", async () => {
    const [ada, bob] = [await insertUser(t), await insertUser(t)];
    const a = await openSession(t, ada.id);
    const b = await openSession(t, bob.id);
    expect((await listSessions(a.client)).body.items.map((s) => s.id)).toEqual([a.session.id]);
    expect((await a.client.post("/api/v1/me/sessions/revoke-others")).json()).toEqual({ revoked: 0 });
    expect((await b.client.get("/api/v1/me/sessions")).statusCode).toBe(200);
  });

  it("C10: session ids are opaque and non-sequential: 128 random bits, not the token, not its hash", async () => {
    const user = await insertUser(t);
    const opened = [];
    for (let i = 0; i < 20; i++) opened.push(await openSession(t, user.id));
    const ids = opened.map((o) => o.session.id);
    expect(new Set(ids).size).toBe(20);
    for (const o of opened) {
      expect(o.session.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(o.session.id).not.toBe(o.token);
      expect(o.session.id).not.toBe(o.session.tokenHash);
    }
    const sorted = [...ids].sort();
    expect(sorted).not.toEqual(ids); // creation order is not the id order (20! to 1 against by chance)
  });
});

describe("I2/F1: a forged revocation is refused, changes nothing and is recorded", () => {
  it("I2: DELETE without the CSRF token answers 403 csrf_failed, the session survives, malicious_csrf is recorded", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    const b = await openSession(t, user.id);
    const forged = await a.client.request({ method: "DELETE", url: `/api/v1/me/sessions/${b.session.id}`, csrf: false });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe("csrf_failed");
    const crossSite = await a.client.post("/api/v1/me/sessions/revoke-others", undefined, { origin: "http://evil.test" });
    expect(crossSite.statusCode).toBe(403);
    expect((await b.client.get("/api/v1/me/sessions")).statusCode).toBe(200);
    expect((await eventsOf(t, user.id, "malicious_csrf")).length).toBe(2);
  });
});

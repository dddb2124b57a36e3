import { describe, expect, it } from "vitest";
import { hashToken } from "../../lib/crypto/hash-token.js";
import { useTestApp } from "@test/use-test-app.js";
import type { TestClient } from "@test/test-client.js";
import { insertUser, signIn } from "@test/factories.js";
import { dumpDatabase, sessionRowOf } from "@test/inspect.js";

const MINUTE = 60_000;

describe("session tokens and lifetimes", () => {
  const t = useTestApp({}, { scope: "suite" });
  let ipCounter = 0;
  const client = (): TestClient => t.client({ ip: `10.8.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}` });

  async function signedIn(): Promise<TestClient> {
    const user = await insertUser(t);
    const c = client();
    expect((await signIn(c, user)).statusCode).toBe(200);
    return c;
  }

  it(
    "C1: 100 session cookies are unique 43-char base64url tokens (256 bits); the DB holds only their SHA-256",
    { timeout: 120_000 },
    async () => {
      const user = await insertUser(t);
      const tokens: string[] = [];
      for (let i = 0; i < 100; i++) {
        const c = client();
        expect((await signIn(c, user)).statusCode).toBe(200);
        tokens.push(c.sessionToken() ?? "");
      }
      expect(new Set(tokens).size).toBe(100);
      for (const token of tokens) {
        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(Buffer.from(token, "base64url")).toHaveLength(32);
      }
      const rows = await t.app.services.db
        .selectFrom("sessions")
        .select(["id", "tokenHash"])
        .where("userId", "=", user.id)
        .execute();
      expect(new Set(rows.map((r) => r.tokenHash))).toEqual(new Set(tokens.map(hashToken)));
      for (const row of rows) expect(tokens).not.toContain(row.id);
      const dump = await dumpDatabase(t);
      for (const token of tokens) expect(dump.includes(token)).toBe(false);
    },
  );

  it("C5: idle for 60 min + 1 s → 401, and the session shows up ended with reason `expired`", async () => {
    const c = await signedIn();
    const row = await sessionRowOf(t, c.sessionToken());
    t.clock.advance(60 * MINUTE + 1_000);
    const res = await c.get("/api/v1/me");
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("unauthenticated");
    const ended = await sessionRowOf(t, c.sessionToken());
    expect(ended).toMatchObject({ id: row?.id, endReason: "expired", endedAt: (row?.lastSeenAt ?? 0) + 60 * MINUTE });
  });

  it("C5: activity at 59 min extends the idle window", async () => {
    const c = await signedIn();
    for (let i = 0; i < 3; i++) {
      t.clock.advance(59 * MINUTE);
      expect((await c.get("/api/v1/me")).statusCode).toBe(200);
    }
    t.clock.advance(60 * MINUTE + 1_000);
    expect((await c.get("/api/v1/me")).statusCode).toBe(401);
  });

  it("C5: last-seen is written at most once a minute, not on every request", async () => {
    const c = await signedIn();
    const first = await sessionRowOf(t, c.sessionToken());
    t.clock.advance(30_000);
    await c.get("/api/v1/me");
    expect((await sessionRowOf(t, c.sessionToken()))?.lastSeenAt).toBe(first?.lastSeenAt);
    t.clock.advance(31_000);
    await c.get("/api/v1/me");
    expect((await sessionRowOf(t, c.sessionToken()))?.lastSeenAt).toBe(t.clock.now());
  });

  it("C6: the absolute lifetime of 24 h holds even with activity every 5 minutes", { timeout: 120_000 }, async () => {
    const c = await signedIn();
    const row = await sessionRowOf(t, c.sessionToken());
    const start = t.clock.now();
    while (t.clock.now() + 5 * MINUTE < start + 24 * 60 * MINUTE) {
      t.clock.advance(5 * MINUTE);
      expect((await c.get("/api/v1/me")).statusCode).toBe(200);
    }
    t.clock.set(start + 24 * 60 * MINUTE + 1_000);
    expect((await c.get("/api/v1/me")).statusCode).toBe(401);
    expect(await sessionRowOf(t, c.sessionToken())).toMatchObject({
      id: row?.id,
      endReason: "expired",
      endedAt: start + 24 * 60 * MINUTE,
    });
  });

  it("C12: no session token in any Location header or JSON body of the sign-in calls", async () => {
    const user = await insertUser(t);
    const c = client();
    const login = await signIn(c, user);
    const afterLogin = c.sessionToken() ?? "";
    const reauth = await c.post("/api/v1/auth/reauthenticate", { password: user.password });
    const afterReauth = c.sessionToken() ?? "";
    const me = await c.get("/api/v1/me");
    const logout = await c.post("/api/v1/auth/logout");
    for (const res of [login, reauth, me, logout]) {
      expect(res.headers.location).toBeUndefined();
      for (const token of [afterLogin, afterReauth]) {
        expect(res.body.includes(token)).toBe(false);
        for (const [name, value] of Object.entries(res.headers)) {
          if (name !== "set-cookie") expect(String(value).includes(token)).toBe(false);
        }
      }
    }
  });
});

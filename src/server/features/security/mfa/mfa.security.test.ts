import { describe, expect, it } from "vitest";
import { THROTTLE_POLICIES } from "../../throttle/throttle.js";
import { useTestApp } from "@test/use-test-app.js";
import type { TestClient } from "@test/test-client.js";
import { secondNode } from "@test/create-test-app.js";
import { signedInPerson, signInWithPassword } from "@test/factories.js";
import { independentTotp } from "@test/independent-totp.js";
import { eventsOf } from "@test/inspect.js";
import { closedToPendingSessions } from "@test/openapi-operations.js";

const t = useTestApp({}, { scope: "suite" });

/** A person with MFA on, signed out of everything but the enrollment session. */
async function mfaPerson() {
  const person = await signedInPerson(t, { mfa: true });
  if (!person.enrollment) throw new Error("no enrollment");
  // The confirm step spent the current step: start where even T−1 is unspent.
  t.clock.advance(60_000);
  return { ...person, secret: person.enrollment.secret, recoveryCodes: person.enrollment.recoveryCodes };
}

/** A new pending session (password step done) for the person. */
async function pending(email: string, client?: TestClient): Promise<TestClient> {
  const { client: c, body } = await signInWithPassword(t, { email }, { client });
  expect(body.status).toBe("mfa_required");
  return c;
}

const submit = (client: TestClient, code: string, headers?: Record<string, string>) =>
  client.post("/api/v1/auth/login/mfa", { code }, headers);

describe("B2: the pending session can only do the code step and sign out", () => {
  it("B2: every protected API route answers 401 (MFA required) to a password-only session, debug headers or not", async () => {
    const { user } = await mfaPerson();
    const client = await pending(user.email);
    let checked = 0;
    for (const { method, path, isAdmin } of closedToPendingSessions(t)) {
      if (isAdmin) continue; // the operator's routes answer 401 for want of a bearer token, not of MFA
      const url = path.replace(/\{[^}]+\}/g, "x");
      const response = await client.request({
        method: method as "GET",
        url,
        headers: { "x-debug": "1", "x-forwarded-for": "127.0.0.1" },
        ...(method === "GET" ? {} : { payload: {} }),
      });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
      expect(response.json().error.details?.mfaRequired, `${method} ${url}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it("B2: the code step itself needs the pending session; a full session cannot use it again", async () => {
    const { client, secret } = await mfaPerson();
    expect((await submit(t.client(), independentTotp(secret, t.clock.now()))).statusCode).toBe(401);
    const again = await submit(client, independentTotp(secret, t.clock.now()));
    expect(again.statusCode).toBe(409);
  });

  it("B2: a pending session lives 5 minutes: a right code after that is refused", async () => {
    const { user, secret } = await mfaPerson();
    const client = await pending(user.email);
    t.clock.advance(5 * 60_000 + 1);
    const response = await submit(client, independentTotp(secret, t.clock.now()));
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("unauthenticated");
  });

  it("B2: sign-out works from the pending session", async () => {
    const { user } = await mfaPerson();
    const client = await pending(user.email);
    expect((await client.post("/api/v1/auth/logout")).statusCode).toBe(204);
    expect((await submit(client, "123456")).statusCode).toBe(401);
  });
});

describe("B3: a TOTP code works once", () => {
  it("B3: the code that signed in is refused for a second sign-in (authn_token_reuse logged)", async () => {
    const { user, secret } = await mfaPerson();
    const code = independentTotp(secret, t.clock.now());
    expect((await submit(await pending(user.email), code)).statusCode).toBe(200);
    const replay = await submit(await pending(user.email), code);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe("invalid_code");
    expect(await eventsOf(t, user.id, "authn_token_reuse")).toHaveLength(1);
  });

  it("B3: after step T was used, the still-in-window code of T−1 is refused", async () => {
    const { user, secret } = await mfaPerson();
    const now = t.clock.now();
    expect((await submit(await pending(user.email), independentTotp(secret, now))).statusCode).toBe(200);
    const older = await submit(await pending(user.email), independentTotp(secret, now - 30_000));
    expect(older.statusCode).toBe(401);
  });

  it("B3: 10 parallel submissions of one code give exactly one success", async () => {
    const { user, secret } = await mfaPerson();
    const clients = [];
    for (let i = 0; i < 10; i++) clients.push(await pending(user.email));
    const code = independentTotp(secret, t.clock.now());
    const statuses = (await Promise.all(clients.map((c) => submit(c, code)))).map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 401 || s === 429)).toBe(true);
  });

  it("B3: 10 parallel submissions of one code across TWO app nodes on one database give exactly one success", async () => {
    const node = await secondNode(t);
    try {
      const { user, secret } = await mfaPerson();
      const clients: TestClient[] = [];
      for (let i = 0; i < 10; i++) clients.push(await pending(user.email, i % 2 === 0 ? t.client() : node.client()));
      const code = independentTotp(secret, t.clock.now());
      const statuses = (await Promise.all(clients.map((c) => submit(c, code)))).map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    } finally {
      await node.close();
    }
  });

  it("B3: 10 parallel submissions of one recovery code give exactly one success", async () => {
    const { user, recoveryCodes } = await mfaPerson();
    const clients = [];
    for (let i = 0; i < 10; i++) clients.push(await pending(user.email));
    const code = recoveryCodes[0] ?? "";
    const statuses = (await Promise.all(clients.map((c) => submit(c, code)))).map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  });
});

describe("B4: the time window", () => {
  it.each([
    ["T−1", -1],
    ["T", 0],
    ["T+1", 1],
  ])("B4: the code of step %s is accepted", async (_name, delta) => {
    const { user, secret } = await mfaPerson();
    const response = await submit(await pending(user.email), independentTotp(secret, t.clock.now() + delta * 30_000));
    expect(response.statusCode, response.body).toBe(200);
  });

  it("B4: the codes of steps T−2 and T+2 are refused", async () => {
    const { user, secret } = await mfaPerson();
    const client = await pending(user.email);
    expect((await submit(client, independentTotp(secret, t.clock.now() - 60_000))).statusCode).toBe(401);
    expect((await submit(client, independentTotp(secret, t.clock.now() + 60_000))).statusCode).toBe(401);
  });
});

describe("B5: wrong codes are throttled", () => {
  it("B5: the 5th wrong code in 5 minutes locks the code step for 5 minutes, even for the right code; then it works", async () => {
    const { user, secret } = await mfaPerson();
    const client = await pending(user.email);
    for (let i = 0; i < 4; i++) expect((await submit(client, "000000")).statusCode).toBe(401);
    const fifth = await submit(client, "000000");
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error.code).toBe("rate_limited");
    const until = Date.parse(fifth.json().error.details.until as string);
    expect(until).toBe(t.clock.now() + 5 * 60_000);
    expect(Number(fifth.headers["retry-after"])).toBe(300);
    const right = await submit(client, independentTotp(secret, t.clock.now()));
    expect(right.statusCode).toBe(429);
    expect(await eventsOf(t, user.id, "authn_login_lock")).toHaveLength(1);
    expect(await eventsOf(t, user.id, "excess_rate_limit_exceeded")).toHaveLength(1);
    expect(await eventsOf(t, user.id, "authn_mfa_fail")).toHaveLength(5);
    t.clock.advance(4 * 60_000);
    const later = await pending(user.email);
    expect((await submit(later, independentTotp(secret, t.clock.now()))).statusCode).toBe(429);
    t.clock.advance(60_000);
    expect((await submit(later, independentTotp(secret, t.clock.now()))).statusCode).toBe(200);
  });

  it("B5: recovery codes share the budget; another person is not affected", async () => {
    const a = await mfaPerson();
    const b = await mfaPerson();
    const client = await pending(a.user.email);
    for (let i = 0; i < 5; i++) await submit(client, "zzzz-zzzz-zzzz");
    expect((await submit(client, a.recoveryCodes[0] ?? "")).statusCode).toBe(429);
    expect((await submit(await pending(b.user.email), independentTotp(b.secret, t.clock.now()))).statusCode).toBe(200);
  });

  it("B5: the lifetime ceiling is at most 100 consecutive failures, after which the factor needs recovery", async () => {
    expect(THROTTLE_POLICIES.code.ceiling).toBeLessThanOrEqual(100);
    const { user, secret } = await mfaPerson();
    const now = t.clock.now();
    await t.app.services.db
      .insertInto("throttles")
      .values({
        key: `totp:${user.id}`,
        failures: 0,
        consecutiveFailures: 100,
        windowStartedAt: now - 3_600_000,
        lockedUntil: 0,
        updatedAt: now,
      })
      .execute();
    expect((await submit(await pending(user.email), independentTotp(secret, now))).statusCode).toBe(429);
  });
});

describe("B7: only the server's clock counts", () => {
  it("B7: a Date header 10 minutes off changes nothing; the client's claimed time is not used", async () => {
    const { user, secret } = await mfaPerson();
    const skewed = new Date(t.clock.now() + 10 * 60_000).toUTCString();
    const client = await pending(user.email);
    const forClientTime = await submit(client, independentTotp(secret, t.clock.now() + 10 * 60_000), { date: skewed });
    expect(forClientTime.statusCode).toBe(401);
    const forServerTime = await submit(client, independentTotp(secret, t.clock.now()), { date: skewed });
    expect(forServerTime.statusCode).toBe(200);
  });

  it("B7: time fields in the body are refused outright (400), never used", async () => {
    const { user, secret } = await mfaPerson();
    const client = await pending(user.email);
    const future = t.clock.now() + 10 * 60_000;
    for (const field of ["time", "timestamp", "now"]) {
      const response = await client.post("/api/v1/auth/login/mfa", {
        code: independentTotp(secret, future),
        [field]: future / 1000,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe("validation_failed");
    }
    expect((await submit(client, independentTotp(secret, t.clock.now()))).statusCode).toBe(200);
  });
});

describe("events and log hygiene", () => {
  it("I4: no secret, TOTP code or recovery code appears in the log", async () => {
    const { user, secret, enrollment, recoveryCodes } = await mfaPerson();
    const code = independentTotp(secret, t.clock.now());
    await submit(await pending(user.email), code);
    await submit(await pending(user.email), recoveryCodes[1] ?? "");
    const log = t.logs.join("\n");
    expect(enrollment?.secretBase32).toBeDefined();
    expect(log).not.toContain(enrollment?.secretBase32 ?? "-");
    expect(log).not.toContain(Buffer.from(secret).toString("hex"));
    for (const c of recoveryCodes) expect(log).not.toContain(c);
    expect(log).not.toMatch(new RegExp(`"code":"?${code}`));
    expect(log).toContain('"event":"authn_mfa_success"');
    expect(log).toContain('"event":"mfa_recovery_code_used"');
  });
});

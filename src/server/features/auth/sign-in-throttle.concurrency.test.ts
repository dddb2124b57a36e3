import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { secondNode } from "@test/create-test-app.js";
import { insertUser, signIn } from "@test/factories.js";
import { accountThrottleOf } from "@test/inspect.js";
import { THROTTLE_POLICIES } from "../throttle/throttle.js";

const t = useTestApp();

const IP_LIMIT = THROTTLE_POLICIES.passwordPerIp.threshold;

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

describe("A10: the per-address sign-in throttle holds under parallel requests", () => {
  it("40 parallel wrong passwords from one address on 40 emails: at most the limit answered 401, the rest 429", async () => {
    const ip = "203.0.113.77";
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        signIn(t.client({ ip }), { email: `guess-${i}@example.com`, password: `wrong password number ${i}` }).then(
          (r) => r.statusCode,
        ),
      ),
    );
    const counts = tally(statuses);
    expect(counts[401]).toBe(IP_LIMIT);
    expect(counts[429]).toBe(40 - IP_LIMIT);
    expect(Object.keys(counts).sort()).toEqual(["401", "429"]);
  }, 120_000);

  it("two nodes on one database agree: parallel guesses split across both still get at most the limit", async () => {
    const other = await secondNode(t);
    try {
      const ip = "203.0.113.78";
      const statuses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => {
          const app = i % 2 === 0 ? t.app : other.app;
          return app
            .inject({
              method: "POST",
              url: "/api/v1/auth/login",
              remoteAddress: ip,
              payload: { email: `node-${i}@example.com`, password: `wrong password number ${i}` },
              // CSRF: a token pair the guard accepts (cookie = header) from the service's own origin.
              headers: { origin: t.config.publicUrl, "x-csrf-token": "0123456789abcdef0123" },
              cookies: { pc_csrf: "0123456789abcdef0123" },
            })
            .then((r) => r.statusCode);
        }),
      );
      const counts = tally(statuses);
      expect(counts[401]).toBe(IP_LIMIT);
      expect(counts[429]).toBe(30 - IP_LIMIT);
    } finally {
      await other.close();
    }
  }, 120_000);

  it("parallel guesses on one account: at most the account's threshold are checked; the right password later clears it", async () => {
    const user = await insertUser(t);
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        signIn(t.client({ ip: `198.51.100.${i + 1}` }), { email: user.email, password: `wrong password number ${i}` }).then(
          (r) => r.statusCode,
        ),
      ),
    );
    const counts = tally(statuses);
    expect(counts[401]).toBe(THROTTLE_POLICIES.passwordPerAccount.threshold);
    expect(counts[429]).toBe(12 - THROTTLE_POLICIES.passwordPerAccount.threshold);
    t.clock.advance(THROTTLE_POLICIES.passwordPerAccount.maxLockMs);
    expect((await signIn(t.client(), user)).statusCode).toBe(200);
    const row = await accountThrottleOf(t, user.email);
    expect(row?.consecutiveFailures ?? 0).toBe(0);
  }, 120_000);

  it("I7: once the address is locked, guesses on ever new emails add no throttle rows", async () => {
    const ip = "203.0.113.79";
    for (let i = 0; i < IP_LIMIT; i++) {
      expect(
        (await signIn(t.client({ ip }), { email: `first-${i}@example.com`, password: "wrong password here" })).statusCode,
      ).toBe(401);
    }
    const count = async () => (await t.app.services.db.selectFrom("throttles").select("key").execute()).length;
    const before = await count();
    for (let i = 0; i < 50; i++) {
      expect(
        (await signIn(t.client({ ip }), { email: `fresh-${i}@example.com`, password: "wrong password here" })).statusCode,
      ).toBe(429);
    }
    expect(await count()).toBe(before);
  }, 120_000);

  it("successful sign-ins do not use up the address's budget (a shared office address)", async () => {
    const ip = "192.0.2.55";
    const people = await Promise.all(Array.from({ length: 3 }, () => insertUser(t)));
    for (let round = 0; round < 9; round++) {
      const person = people[round % people.length]!;
      expect((await signIn(t.client({ ip }), person)).statusCode).toBe(200);
    }
    const row = await t.app.services.db
      .selectFrom("throttles")
      .selectAll()
      .where("key", "=", `login:ip:${ip}`)
      .executeTakeFirst();
    expect(row?.failures ?? 0).toBe(0);
    expect(row?.lockedUntil ?? 0).toBe(0);
  }, 120_000);
});

import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, signedInPerson, signIn, UA, nextCode } from "@test/factories.js";
import { expectMailedTo } from "@test/expectations.js";
import { linkTokensFromMail } from "@test/inspect.js";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

describe("lockdown links in every alert, and the refused sign-in's timing", () => {
  const t = useTestApp({}, { scope: "suite" });

  it("the new-device alert carries a lockdown link to the address it went to", async () => {
    const user = await insertUser(t);
    expect((await signIn(t.client({ ip: "10.9.0.1", userAgent: UA.firefoxLinux }), user)).statusCode).toBe(200);
    expect((await signIn(t.client({ ip: "10.9.0.2", userAgent: UA.chromeWindows }), user)).statusCode).toBe(200);
    await expectMailedTo(t, user.email, [/New sign-in/]);
    const [token] = await linkTokensFromMail(t, user.email, "/lockdown");
    const preview = await t.client().get(`/api/v1/auth/lockdown?token=${encodeURIComponent(token as string)}`);
    expect(preview.statusCode).toBe(200);
    expect(preview.json().email).toBe(user.email);
  });

  it("the 'two-factor authentication turned off' notice carries a lockdown link", async () => {
    const { user, client, enrollment } = await signedInPerson(t, { mfa: true });
    const off = await client.delete("/api/v1/me/mfa/totp", { code: nextCode(t, enrollment?.secret as Uint8Array) });
    expect(off.statusCode, off.body).toBe(204);
    await expectMailedTo(t, user.email, [/turned off/]);
    expect((await linkTokensFromMail(t, user.email, "/lockdown")).length).toBe(1);
  });

  it(
    "A12: after a lockdown, the right password (401 password_reset_required) costs the same time as a wrong one",
    { retry: 2, timeout: 120_000 },
    async () => {
      const runs = 30;
      const people = [];
      for (let i = 0; i < runs; i++) {
        const person = await insertUser(t);
        await t.app.services.securityStates.save(person.id, { passwordResetRequiredAt: t.clock.now() });
        people.push(person);
      }
      const timed = async (email: string, password: string, ip: string, code: string) => {
        const c = t.client({ ip });
        await c.get("/api/v1/auth/csrf");
        const start = performance.now();
        const res = await signIn(c, { email, password });
        const ms = performance.now() - start;
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe(code);
        return ms;
      };
      const diffs: number[] = [];
      for (let i = 0; i < runs; i++) {
        const person = people[i];
        if (!person) continue;
        const right = () => timed(person.email, person.password, `10.9.1.${i}`, "password_reset_required");
        const wrong = () => timed(person.email, `${person.password}!`, `10.9.2.${i}`, "invalid_credentials");
        // Alternating order on a shared machine: the paired difference cancels load drift.
        const [r, w] = i % 2 === 0 ? [await right(), await wrong()] : [0, await wrong()];
        diffs.push((i % 2 === 0 ? r : await right()) - w);
      }
      expect(Math.abs(median(diffs)), `paired median ${median(diffs).toFixed(1)} ms`).toBeLessThan(10);
    },
  );
});

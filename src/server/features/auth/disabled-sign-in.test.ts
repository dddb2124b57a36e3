import { describe, expect, it, vi } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { adminCall, expectStatus } from "@test/accounts-fixtures.js";
import { insertUser, signIn } from "@test/factories.js";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

describe("sign-in of a disabled person", () => {
  const t = useTestApp({}, { scope: "suite" });

  it("verifies the password hash exactly as for a wrong password before refusing", async () => {
    const person = await insertUser(t);
    expectStatus(await adminCall(t, "PATCH", `/users/${person.id}`, { status: "disabled" }), 200);
    const other = await insertUser(t);
    const verify = vi.spyOn(t.app.services.hasher, "verifyPassword");
    try {
      const refused = await signIn(t.client({ ip: "10.9.0.1" }), person);
      expect(refused.json().error.code).toBe("account_disabled");
      const wrong = await signIn(t.client({ ip: "10.9.0.2" }), { email: other.email, password: "a wrong password" });
      expect(wrong.json().error.code).toBe("invalid_credentials");
      expect(verify.mock.calls.map((call) => call[0])).toEqual([person.passwordHash, other.passwordHash]);
    } finally {
      verify.mockRestore();
    }
  });

  it(
    "answers account_disabled after a correct password in the time a wrong password takes (paired medians < 10 ms)",
    { retry: 2, timeout: 120_000 },
    async () => {
      const runs = 20;
      const disabled = [];
      const active = [];
      for (let i = 0; i < runs; i++) {
        const person = await insertUser(t);
        expectStatus(await adminCall(t, "PATCH", `/users/${person.id}`, { status: "disabled" }), 200);
        disabled.push(person);
        active.push(await insertUser(t));
      }
      const timed = async (email: string, password: string, ip: string, code: string) => {
        const client = t.client({ ip });
        await client.get("/api/v1/auth/csrf");
        const start = performance.now();
        const res = await signIn(client, { email, password });
        const ms = performance.now() - start;
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe(code);
        return ms;
      };
      const diffs: number[] = [];
      const disabledMs: number[] = [];
      const wrongMs: number[] = [];
      for (let i = 0; i < runs; i++) {
        // Interleaved, each on its own account and address: no throttle involved, load drift cancels out.
        const first = i % 2 === 0;
        const w1 = first ? await timed(active[i]!.email, "a wrong password", `10.8.1.${i}`, "invalid_credentials") : 0;
        const d = await timed(disabled[i]!.email, disabled[i]!.password, `10.8.2.${i}`, "account_disabled");
        const w = first ? w1 : await timed(active[i]!.email, "a wrong password", `10.8.1.${i}`, "invalid_credentials");
        diffs.push(d - w);
        disabledMs.push(d);
        wrongMs.push(w);
      }
      const message = `disabled ${median(disabledMs).toFixed(1)} ms, wrong ${median(wrongMs).toFixed(1)} ms, paired difference ${median(diffs).toFixed(1)} ms`;
      // 10 ms, or a quarter of a wrong password's time on a loaded machine (where a database round
      // trip alone can take longer): the hash, the same in both, is what the time is made of.
      expect(Math.abs(median(diffs)), message).toBeLessThan(Math.max(10, median(wrongMs) / 4));
      // Both really verified a password hash.
      expect(median(disabledMs), message).toBeGreaterThan(3);
    },
  );
});

import { describe, expect, it } from "vitest";
import { checkPasswordPolicy, sampleBlockedPasswords } from "./password-policy.js";

const ctx = { minLength: 15 };

describe("password policy", () => {
  it("A1: 14 code points are refused, 15 accepted, and € counts as one", () => {
    expect(checkPasswordPolicy("a".repeat(0) + "tulip-harbor-k", ctx).ok).toBe(false);
    expect(checkPasswordPolicy("tulip-harbor-kx", ctx).ok).toBe(true);
    expect(checkPasswordPolicy("€".repeat(14), ctx).ok).toBe(false);
    const r = checkPasswordPolicy("€a€b€c€d€e€f€g€", ctx);
    expect(r.ok).toBe(true);
  });
  it("A2: 64, 128 and 256 characters are accepted; 257 refused", () => {
    const long = (n: number) => Array.from({ length: n }, (_, i) => "kq7€zPm3"[i % 8]).join("");
    expect(checkPasswordPolicy(long(64), ctx).ok).toBe(true);
    expect(checkPasswordPolicy(long(128), ctx).ok).toBe(true);
    expect(checkPasswordPolicy(long(256), ctx).ok).toBe(true);
    expect(checkPasswordPolicy(long(257), ctx).ok).toBe(false);
  });
  it("A4: any composition is accepted (lowercase with spaces, emoji, digits only)", () => {
    expect(checkPasswordPolicy("correct horse battery staple", ctx)).toEqual({ ok: true });
    expect(checkPasswordPolicy("🦊🌲🏔️🌊🔥 mountain fox", ctx)).toEqual({ ok: true });
    expect(checkPasswordPolicy("804731926548317", ctx)).toEqual({ ok: true });
  });
  it("A5: common and breached passwords are refused with a reason; ≥ 3000 policy-length entries exist", () => {
    const r = checkPasswordPolicy("passwordpassword", ctx);
    expect(r).toMatchObject({ ok: false });
    expect(r.ok ? "" : r.reason).toMatch(/common|breached/i);
    const sample = sampleBlockedPasswords(3000, 15);
    expect(sample.length).toBe(3000);
    expect(new Set(sample).size).toBe(3000);
    for (const p of sample) {
      expect([...p].length).toBeGreaterThanOrEqual(15);
      expect(checkPasswordPolicy(p, ctx).ok, p).toBe(false);
    }
  });
  it("A6: the user's email or name and the product name are refused", () => {
    expect(checkPasswordPolicy("jane.doe@example.com", { ...ctx, userInputs: ["jane.doe@example.com"] }).ok).toBe(false);
    expect(checkPasswordPolicy("my-secret-janedoe-77", { ...ctx, userInputs: ["janedoe@example.com", "Jane"] }).ok).toBe(false);
    expect(checkPasswordPolicy("profilecenter2026!", ctx).ok).toBe(false);
    expect(checkPasswordPolicy("Profile Center 2026", ctx).ok).toBe(false);
  });
  it("A6: the email's domain counts, its top-level label does not (`com` must not refuse `comet`)", () => {
    expect(checkPasswordPolicy("comet-velvet-orbit-42", { ...ctx, userInputs: ["dana@example.com", "Dana", "Demo"] }).ok).toBe(
      true,
    );
    expect(checkPasswordPolicy("my-example-harbor-42", { ...ctx, userInputs: ["dana@example.com"] }).ok).toBe(false);
    expect(checkPasswordPolicy("velvet-dana-orbit-42", { ...ctx, userInputs: ["dana@example.com"] }).ok).toBe(false);
  });
  it("refuses keyboard and number runs", () => {
    expect(checkPasswordPolicy("1234567890123456", ctx).ok).toBe(false);
    expect(checkPasswordPolicy("qwertyuiopqwerty", ctx).ok).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import {
  formatRecoveryCode,
  generateRecoveryCodes,
  lookupOf,
  normalizeRecoveryCode,
  parseStoredRecoveryCode,
  RECOVERY_CODE_COUNT,
  RECOVERY_CODE_LENGTH,
  storedRecoveryCode,
} from "./recovery-codes.js";

describe("recovery codes", () => {
  it("B10: ten codes of 12 Crockford base32 characters (60 bits ≥ 20), lookup ids distinct", () => {
    expect(RECOVERY_CODE_COUNT).toBe(10);
    expect(RECOVERY_CODE_LENGTH * Math.log2(32)).toBeGreaterThanOrEqual(20);
    for (let round = 0; round < 50; round++) {
      const codes = generateRecoveryCodes();
      expect(codes).toHaveLength(10);
      for (const code of codes) expect(code).toMatch(/^[0-9abcdefghjkmnpqrstvwxyz]{12}$/);
      expect(new Set(codes.map(lookupOf)).size).toBe(10);
    }
  });

  it("B10: codes come from a CSPRNG: 10,000 codes, no repeats, every character used", () => {
    const codes = Array.from({ length: 1000 }, () => generateRecoveryCodes()).flat();
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(codes.join("")).size).toBe(32);
  });

  it("formats as xxxx-xxxx-xxxx and normalizes what people type (case, spaces, dashes, look-alikes)", () => {
    const code = "0123456789ab";
    expect(formatRecoveryCode(code)).toBe("0123-4567-89ab");
    expect(normalizeRecoveryCode("0123-4567-89AB")).toBe(code);
    expect(normalizeRecoveryCode(" 0123 4567 89ab ")).toBe(code);
    expect(normalizeRecoveryCode("O123-4567-89ab")).toBe(code);
    expect(normalizeRecoveryCode("0I23-4567-89ab")).toBe("0123456789ab");
    expect(normalizeRecoveryCode("0L23-4567-89ab")).toBe("0123456789ab");
    expect(normalizeRecoveryCode("123456")).toBeUndefined();
    expect(normalizeRecoveryCode("0123-4567-89abc")).toBeUndefined();
    expect(normalizeRecoveryCode("0123-4567-89a!")).toBeUndefined();
  });

  it("B10: the stored form is lookup id + argon2id PHC, never the code", () => {
    const stored = storedRecoveryCode("abcd4567efgh", "$argon2id$v=19$m=19456,t=2,p=1$salt$hash");
    expect(stored).toBe("abcd:$argon2id$v=19$m=19456,t=2,p=1$salt$hash");
    expect(stored).not.toContain("abcd4567efgh");
    expect(parseStoredRecoveryCode(stored)).toEqual({ lookup: "abcd", phc: "$argon2id$v=19$m=19456,t=2,p=1$salt$hash" });
    expect(parseStoredRecoveryCode("garbage")).toBeUndefined();
  });
});

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { constantTimeEqual, hashToken, newToken } from "./hash-token.js";

describe("token hashing", () => {
  it("C1: a token is kept as its SHA-256, base64url (a known vector and an independent computation)", () => {
    // FIPS 180-2 test vector: SHA-256("abc").
    expect(hashToken("abc")).toBe(
      Buffer.from("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "hex").toString("base64url"),
    );
    for (let i = 0; i < 20; i++) {
      const token = newToken();
      expect(hashToken(token)).toBe(createHash("sha256").update(token, "utf8").digest("base64url"));
    }
  });

  it("compares strings in constant time, whatever their lengths", () => {
    expect(constantTimeEqual("same-token-value", "same-token-value")).toBe(true);
    expect(constantTimeEqual("same-token-value", "same-token-valuE")).toBe(false);
    expect(constantTimeEqual("short", "a much longer string")).toBe(false);
  });
});

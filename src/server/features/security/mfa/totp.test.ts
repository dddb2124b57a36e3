import { describe, expect, it } from "vitest";
import {
  buildOtpauthUri,
  fromBase32,
  generateTotp,
  generateTotpForStep,
  generateTotpSecret,
  toBase32,
  totpStep,
  verifyTotp,
} from "./totp.js";

const RFC_SECRET = new TextEncoder().encode("12345678901234567890");

describe("RFC vectors", () => {
  it("RFC 4226 Appendix D: HOTP SHA-1, 6 digits, counts 0..9", () => {
    const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    expect(expected.map((_, count) => generateTotpForStep(RFC_SECRET, count))).toEqual(expected);
  });

  it("RFC 4226: all-zero key at count 0 gives 328482 (oathtool example)", () => {
    expect(generateTotpForStep(new Uint8Array([0]), 0)).toBe("328482");
  });

  const rfc6238 = [
    [59, "94287082", "287082"],
    [1111111109, "07081804", "081804"],
    [1111111111, "14050471", "050471"],
    [1234567890, "89005924", "005924"],
    [2000000000, "69279037", "279037"],
    // 64-bit time (beyond 2038): catches 32-bit truncation.
    [20000000000, "65353130", "353130"],
  ] as const;

  it.each(rfc6238)("RFC 6238 Appendix B: SHA-1 at t=%i → %s (8 digits) and %s (6 digits)", (t, eight, six) => {
    expect(generateTotp(RFC_SECRET, t * 1000, 8)).toBe(eight);
    expect(generateTotp(RFC_SECRET, t * 1000)).toBe(six);
    // Leading zeros are part of the code: compared as strings, never as numbers.
    expect(verifyTotp(RFC_SECRET, six, t * 1000)).toBe(totpStep(t * 1000));
    expect(verifyTotp(RFC_SECRET, eight, t * 1000, 1, 8)).toBe(totpStep(t * 1000));
  });

  it("RFC 6238: codes with a leading zero are not accepted without it", () => {
    expect(generateTotp(RFC_SECRET, 1234567890_000)).toBe("005924");
    expect(verifyTotp(RFC_SECRET, "5924", 1234567890_000)).toBeNull();
    expect(verifyTotp(RFC_SECRET, "05924", 1234567890_000)).toBeNull();
    expect(verifyTotp(RFC_SECRET, "0005924", 1234567890_000)).toBeNull();
  });

  it("Key URI example secret JBSWY3DPEHPK3PXP (parser test)", () => {
    const secret = fromBase32("JBSWY3DPEHPK3PXP");
    expect(secret).toBeDefined();
    if (!secret) return;
    expect(Buffer.from(secret).toString("latin1")).toBe("Hello!\xDE\xAD\xBE\xEF");
    expect([0, 59, 1111111109, 1234567890, 2000000000].map((t) => generateTotp(secret, t * 1000))).toEqual([
      "282760",
      "996554",
      "071271",
      "742275",
      "890699",
    ]);
  });

  it("base32 of the RFC seed is GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ, without padding", () => {
    expect(toBase32(RFC_SECRET)).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(toBase32(new Uint8Array([1, 2, 3]))).not.toContain("=");
    expect(fromBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")).toEqual(RFC_SECRET);
    expect(fromBase32("not base32!")).toBeUndefined();
  });
});

describe("verification window", () => {
  const now = 1_800_000_000_000;
  const t = totpStep(now);
  /** A secret whose codes of steps T−2…T+2 all differ (6 digits collide about once in 200,000 secrets). */
  const distinctSecret = () => {
    for (;;) {
      const candidate = generateTotpSecret();
      const codes = [-2, -1, 0, 1, 2].map((d) => generateTotpForStep(candidate, t + d));
      if (new Set(codes).size === codes.length) return candidate;
    }
  };
  const secret = distinctSecret();

  it("B4: steps T−1, T and T+1 are accepted and report their step; T−2 and T+2 are refused", () => {
    for (const delta of [-1, 0, 1]) expect(verifyTotp(secret, generateTotpForStep(secret, t + delta), now)).toBe(t + delta);
    expect(verifyTotp(secret, generateTotpForStep(secret, t - 2), now)).toBeNull();
    expect(verifyTotp(secret, generateTotpForStep(secret, t + 2), now)).toBeNull();
  });

  it("B4: a step boundary is where the RFC puts it (floor(seconds / 30))", () => {
    expect(totpStep(59_999)).toBe(1);
    expect(totpStep(60_000)).toBe(2);
    expect(totpStep(20000000000_000)).toBe(666666666);
  });

  it("refuses anything that is not exactly 6 digits", () => {
    const code = generateTotpForStep(secret, t);
    for (const bad of ["", `${code}0`, code.slice(1), ` ${code}`, "abcdef", "12345678"])
      expect(verifyTotp(secret, bad, now)).toBeNull();
  });
});

describe("secrets", () => {
  it("B6: secrets are 20 bytes from the CSPRNG, distinct, base32 without padding", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const secret = generateTotpSecret();
      expect(secret.length).toBe(20);
      const b32 = toBase32(secret);
      expect(b32).toMatch(/^[A-Z2-7]{32}$/);
      expect(fromBase32(b32)).toEqual(secret);
      seen.add(b32);
    }
    expect(seen.size).toBe(200);
  });
});

describe("Key URI (checklist §4.3)", () => {
  const secretBase32 = toBase32(generateTotpSecret());

  /** Parses a URI the way authenticator apps do: label split on its one literal colon. */
  function parse(uri: string) {
    const match = /^otpauth:\/\/totp\/([^?]*)\?(.*)$/.exec(uri);
    expect(match).not.toBeNull();
    const [rawLabel = "", query = ""] = match?.slice(1) ?? [];
    const parts = rawLabel.split(":");
    const params = new URLSearchParams(query);
    return { parts, prefix: decodeURIComponent(parts[0] ?? ""), account: decodeURIComponent(parts.slice(1).join(":")), params };
  }

  it("is exactly the contract's form for the default issuer", () => {
    expect(buildOtpauthUri({ issuer: "Connect Auth", accountName: "ada@example.com", secretBase32: "ABCDEF234567" })).toBe(
      "otpauth://totp/Connect%20Auth:ada%40example.com?secret=ABCDEF234567&issuer=Connect%20Auth&algorithm=SHA1&digits=6&period=30",
    );
  });

  it("label has one colon, prefix equals issuer, secret is unpadded base32 of ≥ 20 bytes, SHA1/6/30", () => {
    const uri = buildOtpauthUri({ issuer: "Connect Auth", accountName: "ada@example.com", secretBase32 });
    const { parts, prefix, account, params } = parse(uri);
    expect(parts).toHaveLength(2);
    expect(prefix).toBe("Connect Auth");
    expect(params.get("issuer")).toBe(prefix);
    expect(account).toBe("ada@example.com");
    expect(params.get("secret")).toMatch(/^[A-Z2-7]+$/);
    expect(fromBase32(params.get("secret") ?? "")?.length).toBeGreaterThanOrEqual(20);
    expect(params.get("algorithm")).toBe("SHA1");
    expect(params.get("digits")).toBe("6");
    expect(params.get("period")).toBe("30");
  });

  it.each(["a+b@example.com", "o'brien@example.com", "100%&#@example.com", "zoë@exämple.de", "名前@例え.jp", "with space@x.io"])(
    "account %s round-trips; + is %%2B, never a bare +",
    (accountName) => {
      const uri = buildOtpauthUri({ issuer: "ACME Co", accountName, secretBase32 });
      expect(uri).not.toMatch(/\+/);
      expect(uri).not.toMatch(/ /);
      if (accountName.includes("+")) expect(uri).toContain("%2B");
      const { parts, prefix, account, params } = parse(uri);
      expect(parts).toHaveLength(2);
      expect(account).toBe(accountName);
      expect(prefix).toBe("ACME Co");
      expect(params.get("issuer")).toBe("ACME Co");
      expect(params.get("secret")).toBe(secretBase32);
    },
  );

  it("a colon inside the account is encoded, so the label keeps exactly one literal colon", () => {
    const { parts, account } = parse(buildOtpauthUri({ issuer: "ACME", accountName: "a:b@example.com", secretBase32 }));
    expect(parts).toHaveLength(2);
    expect(account).toBe("a:b@example.com");
  });
});

import { randomBytes, timingSafeEqual } from "node:crypto";
import { HOTP, Secret } from "otpauth";

/*
 * TOTP (RFC 6238) on top of the `otpauth` library's HOTP (RFC 4226). Pure: no database, no
 * clock of its own (the caller passes the server's time; a client-supplied time is never used,
 * checklist B7).
 *
 * Parameters are fixed to what every authenticator app understands (Key URI format, checklist
 * §4.3 "interop conclusion"): SHA-1, 6 digits, 30-second steps.
 */

/** The only TOTP parameters this product issues and accepts. */
export const TOTP_PARAMS = { algorithm: "SHA1", digits: 6, period: 30 } as const;

/** Secret length: 160 bits, RFC 4226 §4's RECOMMENDED size (≥ 128 bits MUST). */
export const TOTP_SECRET_BYTES = 20;

/**
 * Accepted drift: one step either side (RFC 6238 §5.2 "at most one time step … as network delay";
 * T+1 too, for phones whose clock runs slightly ahead). Each step is accepted once per person
 * (the caller's compare-and-set on the last used step), which keeps the wider window safe.
 */
export const TOTP_WINDOW = 1;

/** A fresh TOTP secret from the CSPRNG (checklist B6). */
export function generateTotpSecret(): Uint8Array {
  return new Uint8Array(randomBytes(TOTP_SECRET_BYTES));
}

/** RFC 4648 base32, upper case, WITHOUT `=` padding (Key URI format: "padding … should be omitted"). */
export function toBase32(secret: Uint8Array): string {
  return new Secret({ buffer: Uint8Array.from(secret).buffer }).base32.replace(/=+$/, "");
}

/** Decodes base32 (case-insensitive, spaces and padding ignored); undefined when malformed. */
export function fromBase32(text: string): Uint8Array | undefined {
  const clean = text.replace(/[\s=]/g, "").toUpperCase();
  if (!/^[A-Z2-7]+$/.test(clean)) return undefined;
  return new Uint8Array(Secret.fromBase32(clean).bytes);
}

/**
 * The `otpauth://` Key URI, exactly as the API contract shows it:
 * `otpauth://totp/<issuer>:<account>?secret=…&issuer=<issuer>&algorithm=SHA1&digits=6&period=30`.
 * Both label parts are percent-encoded with encodeURIComponent (so `+` becomes `%2B`, which some
 * parsers would otherwise read as a space, and `:` inside a part becomes `%3A`), and the label
 * prefix equals the `issuer` parameter, as the Key URI format recommends.
 */
export function buildOtpauthUri(input: { issuer: string; accountName: string; secretBase32: string }): string {
  const issuer = encodeURIComponent(input.issuer);
  const label = `${issuer}:${encodeURIComponent(input.accountName)}`;
  const { algorithm, digits, period } = TOTP_PARAMS;
  return `otpauth://totp/${label}?secret=${input.secretBase32}&issuer=${issuer}&algorithm=${algorithm}&digits=${digits}&period=${period}`;
}

/** The RFC 6238 time step of a moment (T = floor(unix seconds / 30)); exact beyond 2038. */
export function totpStep(nowMs: number, period: number = TOTP_PARAMS.period): number {
  return Math.floor(nowMs / 1000 / period);
}

/** The code of one time step (RFC 4226 HOTP with counter = step), as a zero-padded string. */
export function generateTotpForStep(secret: Uint8Array, step: number, digits: number = TOTP_PARAMS.digits): string {
  return HOTP.generate({
    secret: new Secret({ buffer: Uint8Array.from(secret).buffer }),
    algorithm: TOTP_PARAMS.algorithm,
    digits,
    counter: step,
  });
}

/** The code valid at a moment. */
export function generateTotp(secret: Uint8Array, nowMs: number, digits: number = TOTP_PARAMS.digits): string {
  return generateTotpForStep(secret, totpStep(nowMs), digits);
}

/** Constant-time comparison of two codes as STRINGS (leading zeros matter: `005924`). */
function sameCode(a: string, b: string): boolean {
  const ba = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/**
 * Checks a code against steps T−window … T+window of the server's time and returns the highest
 * step it matches (the caller then accepts it only if that step is newer than the last used
 * one), or null. Every candidate is compared, so timing does not reveal which step matched.
 */
export function verifyTotp(
  secret: Uint8Array,
  code: string,
  nowMs: number,
  window: number = TOTP_WINDOW,
  digits: number = TOTP_PARAMS.digits,
): number | null {
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return null;
  const current = totpStep(nowMs);
  let matched: number | null = null;
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    if (sameCode(generateTotpForStep(secret, step, digits), code)) matched = step;
  }
  return matched;
}

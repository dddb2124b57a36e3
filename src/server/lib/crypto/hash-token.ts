import { hash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new secret token: 32 random bytes, base64url (256 bits; ASVS 7.2.3 asks for ≥ 128). */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * SHA-256 of a token, base64url: the only form in which tokens are stored. Node's one-shot
 * `crypto.hash` makes no Hash object: this runs on every request's session check.
 */
export function hashToken(token: string): string {
  return hash("sha256", token, "base64url");
}

/** Constant-time string comparison (via SHA-256 so lengths do not leak either). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = hash("sha256", a, "buffer");
  const hb = hash("sha256", b, "buffer");
  return timingSafeEqual(ha, hb);
}

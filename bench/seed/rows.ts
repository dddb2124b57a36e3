import { randomBytes } from "node:crypto";
import { hashToken, newToken } from "../../src/server/lib/crypto/hash-token.js";
import type { Row } from "./writer.js";

/*
 * Row builders for the product's tables. IDs keep the product's formats (`UR-123-456-789`,
 * `VA-123-456`) but come from a bijection of the row number, so a million of them never
 * collide (the product draws them at random and retries; a bulk load cannot).
 */

/** A fixed odd multiplier coprime with 10^k: i ↦ i·M mod 10^k is a permutation (random-looking, unique). */
const MULTIPLIER = 387_420_489; // 3^18

function scrambled(i: number, digits: number): string {
  const modulus = 10n ** BigInt(digits);
  return ((BigInt(i) * BigInt(MULTIPLIER)) % modulus).toString().padStart(digits, "0");
}

/** User id of row `i`: `UR-ddd-ddd-ddd`. */
export function userIdOf(i: number): string {
  const d = scrambled(i, 9);
  return `UR-${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;
}

/** Email of row `i` (lower case, unique). */
export function emailOf(i: number): string {
  return `bench-${i}@example.test`;
}

/** Account id of row `i`, with the prefix of its type. */
export function accountIdOf(i: number, type: string): string {
  const d = scrambled(i, 6);
  return `${type === "vendor" ? "VA" : "PA"}-${d.slice(0, 3)}-${d.slice(3)}`;
}

/** Group id of row `i`: `GR-ddd-ddd-ddd`. */
export function groupIdOf(i: number): string {
  const d = scrambled(i + 500_000_000, 9);
  return `GR-${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;
}

/** A users row: every column of the product, one shared password hash. */
export function userRow(i: number, passwordHash: string | null, now: number): Row {
  const at = now - 30 * 86_400_000;
  return [
    userIdOf(i),
    emailOf(i),
    "Bench",
    `User ${i}`,
    null,
    null,
    "en-GB",
    "Europe/Berlin",
    "YYYY-MM-DD",
    "24h",
    0,
    null,
    passwordHash,
    passwordHash ? at : null,
    at,
    at,
  ];
}

/** A desktop Chrome user agent as browsers send it (the list parses it: browser, OS, device). */
export const USER_AGENT =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** Pre-drawn random bytes, sliced per row: one CSPRNG call per batch instead of two per row. */
export class RandomPool {
  private buffer = Buffer.alloc(0);
  private offset = 0;
  take(bytes: number): Buffer {
    if (this.offset + bytes > this.buffer.length) {
      this.buffer = randomBytes(Math.max(1 << 20, bytes));
      this.offset = 0;
    }
    const slice = this.buffer.subarray(this.offset, this.offset + bytes);
    this.offset += bytes;
    return slice;
  }
  /** A random id like `newOpaqueId()` (16 bytes, base64url). */
  opaqueId(): string {
    return this.take(16).toString("base64url");
  }
  /** A random 43-character value shaped like a token hash (for sessions nobody will use). */
  unusedTokenHash(): string {
    return this.take(32).toString("base64url");
  }
}

export interface SessionSpec {
  userId: string;
  createdAt: number;
  lastSeenAt?: number;
  expiresAt: number;
  /** Set for an ended session. */
  ended?: { at: number; reason: string };
  mfaPending?: boolean;
  mfaVerified?: boolean;
  ip?: string;
}

/**
 * A sessions row. With `withToken`, a real cookie token is drawn and its SHA-256 (base64url)
 * stored, exactly like the product's `createSession`, and the token is returned for the load.
 */
export function sessionRow(spec: SessionSpec, pool: RandomPool, withToken: boolean): { row: Row; token?: string } {
  const token = withToken ? newToken() : undefined;
  const row: Row = [
    pool.opaqueId(),
    token ? hashToken(token) : pool.unusedTokenHash(),
    spec.userId,
    spec.createdAt,
    spec.lastSeenAt ?? spec.createdAt,
    spec.expiresAt,
    spec.createdAt,
    spec.mfaPending ? 1 : 0,
    spec.mfaVerified ? 1 : 0,
    null,
    null,
    spec.ip ?? "203.0.113.7",
    USER_AGENT,
    spec.ended?.at ?? null,
    spec.ended?.reason ?? null,
  ];
  return token ? { row, token } : { row };
}

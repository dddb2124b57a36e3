import { commonErrors } from "../../errors.js";
import type { Clock } from "../../lib/clock.js";
import { newOpaqueId } from "../../lib/ids.js";
import type { ThrottlesRepo } from "./throttles.repo.js";

/**
 * How failures on one key turn into waiting time. Never a permanent lock: after `threshold`
 * failures inside `windowMs`, each further failure locks the key for `baseLockMs`, doubled per
 * failure when `exponential`, capped at `maxLockMs`. `ceiling` is NIST 800-63B §3.2.2's limit of
 * consecutive failures (≤ 100) after which the factor needs recovery (e.g. a password reset).
 */
export interface ThrottlePolicy {
  threshold: number;
  windowMs: number;
  baseLockMs: number;
  maxLockMs: number;
  exponential: boolean;
  ceiling?: number;
}

const MINUTE = 60_000;

/** Policies of the product; the same mechanism serves passwords, codes and password changes. */
export const THROTTLE_POLICIES = {
  /** Per account: back-off from the 5th failure, 15 s doubling to 15 min; 100 consecutive → recovery. */
  passwordPerAccount: {
    threshold: 5,
    windowMs: 15 * MINUTE,
    baseLockMs: 15_000,
    maxLockMs: 15 * MINUTE,
    exponential: true,
    ceiling: 100,
  },
  /** Per client IP: looser (shared NATs), same shape. */
  passwordPerIp: { threshold: 20, windowMs: 15 * MINUTE, baseLockMs: 15_000, maxLockMs: 15 * MINUTE, exponential: true },
  /** Email-change requests of one person (each may send mail): 5 an hour, then the rest of the hour. */
  emailChangePerPerson: {
    threshold: 5,
    windowMs: 60 * MINUTE,
    baseLockMs: 60 * MINUTE,
    maxLockMs: 60 * MINUTE,
    exponential: false,
  },
  /** Email-change requests naming one new address, whoever asks: 3 an hour. */
  emailChangePerAddress: {
    threshold: 3,
    windowMs: 60 * MINUTE,
    baseLockMs: 60 * MINUTE,
    maxLockMs: 60 * MINUTE,
    exponential: false,
  },
  /** TOTP / recovery codes: 5 wrong in 5 minutes lock the code step for 5 minutes (Okta's numbers); 100 consecutive → recovery. */
  code: { threshold: 5, windowMs: 5 * MINUTE, baseLockMs: 5 * MINUTE, maxLockMs: 5 * MINUTE, exponential: false, ceiling: 100 },
} satisfies Record<string, ThrottlePolicy>;

/** An attempt counted on its keys before it was checked (see {@link createThrottle} `reserveAttempt`). */
export interface Reservation {
  attempt: string;
  keys: Array<{ key: string; policy: ThrottlePolicy }>;
  /** The lock this attempt starts if it fails (0 when none): a key reached its threshold. */
  lockedUntil: number;
}

/** A failure-counting throttle stored in the database, so several nodes share it. */
export function createThrottle({ throttles, clock }: { throttles: ThrottlesRepo; clock: Clock }) {
  /** A success clears the keys (consecutive count included). */
  function recordSuccess(keys: string[]): Promise<void> {
    return throttles.deleteKeys(keys);
  }

  /**
   * Counts the attempt on every key first (one atomic statement) and only then lets it be
   * checked: the decision holds under parallel requests and across nodes, where a check before
   * the hash and a count after it let every parallel request through. Throws 429 `rate_limited`
   * (Retry-After, until) when a key is locked or at its ceiling; keys that admitted the attempt
   * keep it counted (a client trying a locked account is still trying).
   */
  async function reserveAttempt(keys: Array<{ key: string; policy: ThrottlePolicy }>): Promise<Reservation> {
    const now = clock.now();
    const attempt = newOpaqueId();
    const rows = await throttles.reserveAttempt(keys, now, attempt);
    let refusedUntil = 0;
    let lockedUntil = 0;
    for (const row of rows) {
      if (row.lastAttempt !== attempt) {
        const policy = keys.find((k) => k.key === row.key)?.policy;
        const atCeiling = policy?.ceiling !== undefined && row.consecutiveFailures >= policy.ceiling;
        refusedUntil = Math.max(refusedUntil, atCeiling ? now + 15 * MINUTE : row.lockedUntil);
      } else if (row.lockedUntil > now) lockedUntil = Math.max(lockedUntil, row.lockedUntil);
    }
    if (refusedUntil > now) throw commonErrors.rateLimited(Math.ceil((refusedUntil - now) / 1000), refusedUntil);
    return { attempt, keys, lockedUntil };
  }

  /** The reserved attempt succeeded: `clear` keys start afresh, the others get their count back. */
  function settleAttempt(reservation: Reservation, clear: string[]): Promise<void> {
    const refund = reservation.keys.filter((k) => !clear.includes(k.key));
    return throttles.settleAttempt(clear, refund, clock.now());
  }

  /** The reserved attempt was never decided (the hasher was busy): every key gets its count back. */
  function releaseAttempt(reservation: Reservation): Promise<void> {
    return throttles.settleAttempt([], reservation.keys, clock.now());
  }

  return { recordSuccess, reserveAttempt, settleAttempt, releaseAttempt };
}

export type Throttle = ReturnType<typeof createThrottle>;

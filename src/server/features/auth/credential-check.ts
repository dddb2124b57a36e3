import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { Clock } from "../../lib/clock.js";
import { hashToken, newToken } from "../../lib/crypto/hash-token.js";
import type { PasswordHasher } from "../../lib/crypto/password-hasher.js";
import type { RequestMeta } from "../../request-context.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import { THROTTLE_POLICIES, type Reservation, type Throttle, type ThrottlePolicy } from "../throttle/throttle.js";

/** The person whose password is checked; undefined for an unknown email. */
export interface PasswordOwner {
  id: string;
  email: string;
  passwordHash: string | null;
}

export interface CredentialCheckDeps {
  db: Kysely<Database>;
  clock: Clock;
  hasher: PasswordHasher;
  throttle: Throttle;
  events: EventRecorder;
}

/**
 * Per-account throttle key. Keyed by a hash of the normalized email (not the user id) so that
 * unknown emails are throttled exactly like known ones (no enumeration through 429s, A12) and
 * no address is stored in the throttle table.
 */
export function accountThrottleKey(email: string): string {
  return `login:account:${hashToken(email.trim().toLowerCase())}`;
}

/** Per-client-IP throttle key (the IP as TRUST_PROXY lets Fastify see it). */
export function ipThrottleKey(ip: string | null): string {
  return `login:ip:${ip ?? "unknown"}`;
}

/** The keys a password attempt counts on: the account and the client IP (A10). */
export function passwordThrottleKeys(email: string, ip: string | null): Array<{ key: string; policy: ThrottlePolicy }> {
  return [
    { key: accountThrottleKey(email), policy: THROTTLE_POLICIES.passwordPerAccount },
    { key: ipThrottleKey(ip), policy: THROTTLE_POLICIES.passwordPerIp },
  ];
}

/**
 * Every password check of the product goes through here: the attempt is reserved on its
 * throttle keys first (429 before any hashing), then verified with argon2id. An unknown email, or a person without a password, is
 * verified against a dummy hash of the same parameters, so both cost the same and answer the
 * same (OWASP Authentication Cheat Sheet, "Authentication and Error Messages"; ASVS 6.3.8).
 */
export function createCredentialCheck({ db, clock, hasher, throttle, events }: CredentialCheckDeps) {
  let dummy: Promise<string> | undefined;

  /** A hash of a random secret nobody knows, made once with the hasher's current parameters. */
  function dummyHash(): Promise<string> {
    dummy ??= hasher.hashPassword(newToken()).catch((error: unknown) => {
      dummy = undefined;
      throw error;
    });
    return dummy;
  }

  /**
   * True when `password` is the person's password. Throws 429 `rate_limited` while the account
   * or the IP is throttled. The attempt is counted on both keys BEFORE the hash, in one atomic
   * statement (throttle `reserveAttempt`), so parallel guesses, on one node or several, cannot
   * all pass a check made before the first failure is counted (ASVS 15.4.2). A failure keeps
   * the count (and records the lock event when it starts a lock); a success clears the account's
   * count and gives the IP its attempt back, so one valid account cannot launder an IP's
   * failures on other accounts.
   */
  async function verifyPassword(email: string, owner: PasswordOwner | undefined, password: string, meta: RequestMeta) {
    const keys = passwordThrottleKeys(email, meta.ip);
    const reservation = await reserve(keys, owner, meta);
    let matches: boolean;
    try {
      const stored = owner?.passwordHash ?? (await dummyHash());
      matches = await hasher.verifyPassword(stored, password);
    } catch (error) {
      await throttle.releaseAttempt(reservation); // undecided (e.g. the hasher was busy): not a failure
      throw error;
    }
    if (matches && owner?.passwordHash) {
      await throttle.settleAttempt(reservation, [keys[0]!.key]);
      return true;
    }
    if (reservation.lockedUntil > 0) {
      await events.recordEvent(db, {
        type: "authn_login_lock",
        userId: owner?.id ?? null,
        result: "failure",
        details: {
          until: new Date(reservation.lockedUntil).toISOString(),
          retryAfterSeconds: Math.ceil((reservation.lockedUntil - clock.now()) / 1000),
        },
        meta,
      });
    }
    return false;
  }

  /** The reservation, recording a refused attempt (I2: `excess_rate_limit_exceeded`). */
  async function reserve(
    keys: ReturnType<typeof passwordThrottleKeys>,
    owner: PasswordOwner | undefined,
    meta: RequestMeta,
  ): Promise<Reservation> {
    try {
      return await throttle.reserveAttempt(keys);
    } catch (error) {
      if (error instanceof AppError && error.code === "rate_limited") {
        await events.recordEvent(db, {
          type: "excess_rate_limit_exceeded",
          userId: owner?.id ?? null,
          result: "failure",
          details: { action: "password", retryAfterSeconds: error.details?.retryAfterSeconds },
          meta,
        });
      }
      throw error;
    }
  }

  /** Clears the account's password throttle (after a password reset: the factor is recovered). */
  async function clearAccountThrottle(email: string): Promise<void> {
    await throttle.recordSuccess([accountThrottleKey(email)]);
  }

  return { verifyPassword, clearAccountThrottle, dummyHash };
}

export type CredentialCheck = ReturnType<typeof createCredentialCheck>;

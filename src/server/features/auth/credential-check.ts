import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { Clock } from "../../lib/clock.js";
import { hashToken, newToken } from "../../lib/crypto/hash-token.js";
import type { PasswordHasher } from "../../lib/crypto/password-hasher.js";
import { createKeyedSerializer } from "../../lib/keyed-serializer.js";
import type { RequestMeta } from "../../request-context.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import { THROTTLE_POLICIES, type Throttle, type ThrottlePolicy } from "../throttle/throttle.js";

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
 * Every password check of the product goes through here: throttle first (429 before any
 * hashing), then argon2id verification. An unknown email, or a person without a password, is
 * verified against a dummy hash of the same parameters, so both cost the same and answer the
 * same (OWASP Authentication Cheat Sheet, "Authentication and Error Messages"; ASVS 6.3.8).
 */
export function createCredentialCheck({ db, clock, hasher, throttle, events }: CredentialCheckDeps) {
  let dummy: Promise<string> | undefined;
  // Password checks of one account run one at a time, so parallel guesses cannot all pass the
  // throttle check before the first failure is counted (a time-of-check/time-of-use race on the
  // rate limit, ASVS 15.4.2).
  const perAccount = createKeyedSerializer();

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
   * or the IP is throttled; counts a failure on both keys otherwise (and records the lock event
   * when this failure starts a lock). A success clears the account's count; the IP's count
   * only decays, so one valid account cannot launder an IP's failures on other accounts.
   * Checks of one account run one at a time, so parallel guesses are counted one by one.
   */
  async function verifyPassword(email: string, owner: PasswordOwner | undefined, password: string, meta: RequestMeta) {
    const keys = passwordThrottleKeys(email, meta.ip);
    return perAccount.run(keys[0]!.key, () => checkThrottledPassword(keys, owner, password, meta));
  }

  /** The throttle check, recording the refused attempt (I2: `excess_rate_limit_exceeded`). */
  async function assertNotThrottled(
    keys: ReturnType<typeof passwordThrottleKeys>,
    owner: PasswordOwner | undefined,
    meta: RequestMeta,
  ): Promise<void> {
    try {
      await throttle.assertNotThrottled(keys);
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

  async function checkThrottledPassword(
    keys: ReturnType<typeof passwordThrottleKeys>,
    owner: PasswordOwner | undefined,
    password: string,
    meta: RequestMeta,
  ): Promise<boolean> {
    await assertNotThrottled(keys, owner, meta);
    const stored = owner?.passwordHash ?? (await dummyHash());
    const matches = await hasher.verifyPassword(stored, password);
    if (matches && owner?.passwordHash) {
      await throttle.recordSuccess([keys[0]!.key]);
      return true;
    }
    const lockedUntil = await throttle.recordFailure(keys);
    if (lockedUntil > 0) {
      await events.recordEvent(db, {
        type: "authn_login_lock",
        userId: owner?.id ?? null,
        result: "failure",
        details: { until: new Date(lockedUntil).toISOString(), retryAfterSeconds: Math.ceil((lockedUntil - clock.now()) / 1000) },
        meta,
      });
    }
    return false;
  }

  /** Clears the account's password throttle (after a password reset: the factor is recovered). */
  async function clearAccountThrottle(email: string): Promise<void> {
    await throttle.recordSuccess([accountThrottleKey(email)]);
  }

  return { verifyPassword, clearAccountThrottle, dummyHash };
}

export type CredentialCheck = ReturnType<typeof createCredentialCheck>;

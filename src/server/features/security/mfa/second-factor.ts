import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { ResolvedConfig } from "../../../config.js";
import type { Database, MfaFactorsTable } from "../../../db/schema.js";
import { AppError, commonErrors } from "../../../errors.js";
import type { Clock } from "../../../lib/clock.js";
import type { Encryptor } from "../../../lib/crypto/encrypt.js";
import { newToken } from "../../../lib/crypto/hash-token.js";
import type { PasswordHasher } from "../../../lib/crypto/password-hasher.js";
import type { Mailer } from "../../mail/mailer.js";
import type { EventRecorder } from "../../activity/event-recorder.js";
import type { RequestMeta } from "../../../request-context.js";
import { THROTTLE_POLICIES, type Reservation, type Throttle } from "../../throttle/throttle.js";
import type { UsersRepo } from "../../users/users.repo.js";
import { recoveryCodeUsedMail } from "../security.mails.js";
import type { MfaRepo } from "./mfa.repo.js";
import { lookupOf, normalizeRecoveryCode, parseStoredRecoveryCode } from "./recovery-codes.js";
import type { SecondFactorResult } from "./second-factor-result.js";
import { verifyTotp } from "./totp.js";

type Failure = { ok: false; reason: "invalid_code" | "reused" | "no_factor" | "undecryptable" };
type Outcome = Exclude<SecondFactorResult, { ok: false }> | Failure;

export interface SecondFactorDeps {
  db: Kysely<Database>;
  mfaFactors: MfaRepo;
  users: UsersRepo;
  clock: Clock;
  config: Pick<ResolvedConfig, "publicUrl">;
  encryptor: Encryptor;
  hasher: PasswordHasher;
  events: EventRecorder;
  throttle: Throttle;
  mailer: Mailer;
  logger: FastifyBaseLogger;
}

/** The code step's throttle key: TOTP and recovery codes share one budget per person. */
export function codeThrottleKey(userId: string): string {
  return `totp:${userId}`;
}

/**
 * Checks a person's second factor: a 6-digit TOTP code or a recovery code. Used by the code
 * step of sign-in, re-authentication, and every MFA-gated action.
 */
export function createSecondFactorVerifier(deps: SecondFactorDeps) {
  const { db, mfaFactors, users, clock, encryptor, hasher, events, throttle, mailer, logger } = deps;
  let dummy: Promise<string> | undefined;

  /** An argon2id hash nobody can match: wrong recovery codes cost one KDF run, like right ones. */
  function dummyHash(): Promise<string> {
    dummy ??= hasher.hashPassword(newToken());
    return dummy;
  }

  /** Decrypts the seed; a tampered or unknown-key ciphertext fails closed (J1), never throws. */
  function secretOf(factor: MfaFactorsTable): Uint8Array | undefined {
    const secret = encryptor.decrypt(factor.secretEncrypted);
    if (!secret)
      logger.error(
        { userId: factor.userId, factorId: factor.id },
        "TOTP secret cannot be decrypted (tampered, or its key is not configured)",
      );
    return secret;
  }

  /**
   * TOTP: the code must match step T−1, T or T+1 of the SERVER's clock (B4, B7), and that step must
   * be newer than the last one used, claimed by an atomic compare-and-set (B3).
   */
  async function checkTotp(factor: MfaFactorsTable, code: string, meta: RequestMeta): Promise<Outcome> {
    const secret = secretOf(factor);
    if (!secret) return { ok: false, reason: "undecryptable" };
    const step = verifyTotp(secret, code, clock.now());
    if (step === null) return { ok: false, reason: "invalid_code" };
    return db.transaction().execute(async (trx): Promise<Outcome> => {
      if (!(await mfaFactors.in(trx).claimTotpStep(factor, step))) return { ok: false, reason: "reused" };
      await events.recordEvent(trx, { type: "authn_mfa_success", userId: factor.userId, details: { method: "totp" }, meta });
      return { ok: true, method: "totp" };
    });
  }

  /** Recovery code: one argon2id check (lookup id), then a single-use claim; mails a notice. */
  async function checkRecoveryCode(userId: string, input: string, meta: RequestMeta): Promise<Outcome> {
    const code = normalizeRecoveryCode(input);
    if (!code) return { ok: false, reason: "invalid_code" };
    const rows = await mfaFactors.listRecoveryCodes(userId);
    const row = rows.find((r) => parseStoredRecoveryCode(r.codeHash)?.lookup === lookupOf(code));
    const phc = (row && parseStoredRecoveryCode(row.codeHash)?.phc) ?? (await dummyHash());
    if (!(await hasher.verifyPassword(phc, code)) || !row) return { ok: false, reason: "invalid_code" };
    if (row.usedAt !== null) return { ok: false, reason: "reused" };
    const at = clock.now();
    const outcome = await db.transaction().execute(async (trx): Promise<Outcome> => {
      if (!(await mfaFactors.in(trx).claimRecoveryCode(row.id, at))) return { ok: false, reason: "reused" };
      const left = await mfaFactors.in(trx).countUnusedRecoveryCodes(userId);
      await events.recordEvent(trx, { type: "mfa_recovery_code_used", userId, details: { recoveryCodesLeft: left }, meta });
      await events.recordEvent(trx, { type: "authn_mfa_success", userId, details: { method: "recovery" }, meta });
      const user = await users.in(trx).findById(userId);
      if (user)
        await mailer.enqueueMail(trx, recoveryCodeUsedMail(user, { at, ip: meta.ip, publicUrl: deps.config.publicUrl }, left));
      return { ok: true, method: "recovery", recoveryCodesLeft: left };
    });
    if (outcome.ok) mailer.deliverDueMail().catch((error: unknown) => logger.warn({ err: error }, "mail delivery run failed"));
    return outcome;
  }

  /** This failure started the code step's lock: logged, and the person is told at once until when (429). */
  async function lockStarted(userId: string, lockedUntil: number, meta: RequestMeta): Promise<never> {
    const until = new Date(lockedUntil).toISOString();
    await events.recordEvent(db, {
      type: "authn_login_lock",
      userId,
      result: "failure",
      details: { factor: "code", until },
      meta,
    });
    throw commonErrors.rateLimited(Math.ceil((lockedUntil - clock.now()) / 1000), lockedUntil);
  }

  /**
   * Verifies a TOTP code (steps T−1…T+1, each once per person) or a recovery code (each once).
   * Throttled per person with `THROTTLE_POLICIES.code`: 5 wrong in 5 minutes lock the code step
   * for 5 minutes: the 5th wrong code and every attempt during the lock, even a right one, get
   * 429 `rate_limited` with `until` (B5). Records `authn_mfa_success`, `authn_mfa_fail`, `authn_token_reuse` and
   * `mfa_recovery_code_used`. A person without a confirmed factor always gets `{ok:false}`.
   */
  async function verifySecondFactor(userId: string, code: string, meta: RequestMeta): Promise<SecondFactorResult> {
    // Reserved before the check (one atomic statement), so parallel guesses, on one node or
    // several, get no more checks than the policy allows (the same race as sign-in's, B5).
    const reservation = await reserveCodeAttempt(userId, meta);
    const factor = await mfaFactors.findTotpFactor(userId);
    const input = code.replace(/\s/g, "");
    let outcome: Outcome;
    try {
      if (!factor || factor.confirmedAt === null) outcome = { ok: false, reason: "no_factor" };
      else if (/^\d{6}$/.test(input)) outcome = await checkTotp(factor, input, meta);
      else outcome = await checkRecoveryCode(userId, input, meta);
    } catch (error) {
      await throttle.releaseAttempt(reservation); // undecided (e.g. the hasher was busy): not a failure
      throw error;
    }
    if (!outcome.ok) {
      await failReserved(userId, outcome.reason, reservation, meta);
      return { ok: false };
    }
    await throttle.recordSuccess([codeThrottleKey(userId)]); // the only key: cleared outright
    return outcome;
  }

  /**
   * A reserved attempt failed: the event (the count was taken by the reservation), and when the
   * reservation started the lock, 429 at once with until when.
   */
  async function failReserved(userId: string, reason: Failure["reason"], reservation: Reservation, meta: RequestMeta) {
    const type = reason === "reused" ? "authn_token_reuse" : "authn_mfa_fail";
    await events.recordEvent(db, { type, userId, result: "failure", details: { reason }, meta });
    if (reservation.lockedUntil > 0) await lockStarted(userId, reservation.lockedUntil, meta);
  }

  /** The code step's reservation; a refusal is recorded (`excess_rate_limit_exceeded`) and is 429. */
  async function reserveCodeAttempt(userId: string, meta: RequestMeta) {
    try {
      return await throttle.reserveAttempt([{ key: codeThrottleKey(userId), policy: THROTTLE_POLICIES.code }]);
    } catch (error) {
      if (error instanceof AppError && error.code === "rate_limited") {
        const details = { action: "code", until: error.details?.until };
        await events.recordEvent(db, { type: "excess_rate_limit_exceeded", userId, result: "failure", details, meta });
      }
      throw error;
    }
  }

  return { verifySecondFactor, secretOf, reserveCodeAttempt, failReserved };
}

export type SecondFactorVerifier = ReturnType<typeof createSecondFactorVerifier>;

import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Database, Executor, UsersTable } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { Clock } from "../../lib/clock.js";
import { hashToken } from "../../lib/crypto/hash-token.js";
import type { PasswordHasher } from "../../lib/crypto/password-hasher.js";
import type { Mailer } from "../mail/mailer.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import type { RequestMeta } from "../../request-context.js";
import { checkPasswordPolicy } from "../security/password/password-policy.js";
import type { SessionStore } from "../sessions/session-store.js";
import type { Throttle, ThrottlePolicy } from "../throttle/throttle.js";
import type { OneTimeTokensRepo } from "../tokens/one-time-tokens.repo.js";
import type { UserSecurityStatesRepo } from "../users/user-security-states.repo.js";
import type { UsersRepo } from "../users/users.repo.js";
import { authErrors } from "./auth.errors.js";
import { passwordResetMail, passwordResetNoticeMail } from "./auth.mails.js";
import type { CredentialCheck } from "./credential-check.js";

/** A reset link works once, for this long. */
export const RESET_TOKEN_TTL_MS = 30 * 60_000;

/**
 * Reset mails per address and per client IP: a few per hour, then requests are still answered
 * 202 but send nothing (quiet, so the limit reveals nothing about the address).
 */
export const RESET_THROTTLE = {
  perEmail: { threshold: 3, windowMs: 60 * 60_000, baseLockMs: 60 * 60_000, maxLockMs: 60 * 60_000, exponential: false },
  perIp: { threshold: 20, windowMs: 60 * 60_000, baseLockMs: 60 * 60_000, maxLockMs: 60 * 60_000, exponential: false },
} satisfies Record<string, ThrottlePolicy>;

export interface PasswordResetDeps {
  db: Kysely<Database>;
  users: UsersRepo;
  tokens: OneTimeTokensRepo;
  clock: Clock;
  sessions: SessionStore;
  events: EventRecorder;
  hasher: PasswordHasher;
  mailer: Mailer;
  throttle: Throttle;
  credentials: CredentialCheck;
  logger: FastifyBaseLogger;
  publicUrl: string;
  passwordMinLength: number;
  /** A new password ends a lockdown's "must be reset"; the link proved the address. */
  securityStates: UserSecurityStatesRepo;
}

/** Password reset by a single-use link sent by mail (token stored as SHA-256 only). */
export function createPasswordResetService(deps: PasswordResetDeps) {
  const { db, users, tokens, clock, events, mailer, throttle } = deps;

  /**
   * `POST /auth/password-reset`: always "accepted". Known and unknown addresses do the same
   * kind of work (a transaction with an audit row) and the mail is sent after the answer, so
   * neither the bytes nor the timing tell whether the address exists (ASVS 6.3.8).
   */
  async function requestReset(email: string, meta: RequestMeta): Promise<void> {
    const quiet = await reserveRequest(email, meta);
    const user = await users.findByEmail(email);
    await db.transaction().execute(async (trx) => {
      if (user && !quiet) await issueResetLink(trx, user, meta);
      await events.recordEvent(trx, {
        type: "authn_password_reset_request",
        userId: user?.id ?? null,
        result: user && !quiet ? "success" : "failure",
        details: user ? (quiet ? { throttled: true } : {}) : { unknownEmail: email.slice(0, 254) },
        meta,
      });
    });
    if (user && !quiet) deliverLater();
  }

  /**
   * Counts the request, the client address first: while the address is over its budget nothing
   * more is written, so a flood of resets for ever new addresses adds no throttle row per address.
   * True when the request must stay quiet (no mail), which the answer never shows.
   */
  async function reserveRequest(email: string, meta: RequestMeta): Promise<boolean> {
    const refused = (keys: Array<{ key: string; policy: ThrottlePolicy }>) =>
      throttle.reserveAttempt(keys).then(
        () => false,
        (error: unknown) => {
          if (error instanceof AppError && error.code === "rate_limited") return true;
          throw error;
        },
      );
    if (await refused([{ key: `reset:ip:${meta.ip ?? "unknown"}`, policy: RESET_THROTTLE.perIp }])) return true;
    return refused([{ key: `reset:email:${hashToken(email)}`, policy: RESET_THROTTLE.perEmail }]);
  }

  /** Mails a fresh reset link to the person (older open links retired), in the caller's transaction. */
  async function issueResetLink(trx: Executor, user: UsersTable, meta: RequestMeta): Promise<void> {
    const now = clock.now();
    await tokens.in(trx).retireOpenTokensOfUser("password_reset", user.id, now);
    const token = await tokens.in(trx).issueToken({
      purpose: "password_reset",
      userId: user.id,
      email: user.email,
      payload: null,
      now,
      expiresAt: now + RESET_TOKEN_TTL_MS,
    });
    const resetUrl = `${deps.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    const mail = passwordResetMail({
      to: user.email,
      firstName: user.firstName,
      resetUrl,
      validMinutes: RESET_TOKEN_TTL_MS / 60_000,
      ip: meta.ip,
    });
    await mailer.enqueueMail(trx, mail);
  }

  /** Sends queued mail without holding up the answer; a failure stays in the outbox for retry. */
  function deliverLater(): void {
    mailer.deliverDueMail().catch((error: unknown) => {
      deps.logger.warn({ err: (error as Error).message }, "mail delivery deferred");
    });
  }

  /**
   * `POST /auth/password-reset/confirm`: a usable token and a password that passes the policy
   * set the new argon2id hash; the token is consumed by compare-and-set (works once), every
   * session of the person ends (`password_changed`), the account's sign-in throttle is cleared
   * (the factor is recovered, NIST §3.2.2) and a notice is mailed.
   */
  async function confirmReset(token: string, newPassword: string, meta: RequestMeta): Promise<void> {
    const row = await tokens.findUsableToken("password_reset", token, clock.now());
    const user = row?.userId ? await users.findById(row.userId) : undefined;
    if (!row || !user || user.email !== row.email) throw authErrors.invalidToken();
    const policy = checkPasswordPolicy(newPassword, {
      minLength: deps.passwordMinLength,
      userInputs: [user.email, user.firstName, user.lastName],
    });
    if (!policy.ok) throw authErrors.weakPassword(policy.reason);
    const hash = await deps.hasher.hashPassword(newPassword);
    await db.transaction().execute(async (trx) => {
      const now = clock.now();
      if (!(await tokens.in(trx).consumeToken(row.id, now))) throw authErrors.invalidToken();
      await users.in(trx).setPasswordHash(user.id, hash, now);
      await deps.securityStates.in(trx).save(user.id, { passwordResetRequiredAt: null, emailVerifiedAt: now });
      const ended = await deps.sessions.endUserSessions(trx, user.id, "password_reset");
      await events.recordEvent(trx, {
        type: "authn_password_reset_complete",
        userId: user.id,
        details: { sessionsEnded: ended },
        meta,
      });
      await mailer.enqueueMail(
        trx,
        passwordResetNoticeMail({
          to: user.email,
          firstName: user.firstName,
          signInUrl: `${deps.publicUrl}/login`,
          forgotUrl: `${deps.publicUrl}/forgot-password`,
        }),
      );
    });
    await deps.credentials.clearAccountThrottle(user.email);
    await throttle.recordSuccess([`reset:email:${hashToken(user.email)}`]);
    deliverLater();
  }

  /**
   * `GET /auth/password-reset/check`: the person a usable link resets, without using it (the page
   * says at once when a link was already used or expired); 400 `invalid_token` otherwise.
   */
  async function checkResetToken(token: string): Promise<{ email: string; firstName: string; lastName: string }> {
    const row = await tokens.findUsableToken("password_reset", token, clock.now());
    const user = row?.userId ? await users.findById(row.userId) : undefined;
    if (!row || !user || user.email !== row.email) throw authErrors.invalidToken();
    return { email: user.email, firstName: user.firstName, lastName: user.lastName };
  }

  return { requestReset, confirmReset, checkResetToken, issueResetLink, deliverLater };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;

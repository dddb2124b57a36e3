import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { LoginInput, SecondStepMethod } from "../../../contracts/auth.js";
import type { PasskeysRepo } from "../passkeys/passkeys.repo.js";
import type { UserDto } from "../../../contracts/me.js";
import type { Database, Executor, SessionsTable, UsersTable } from "../../db/schema.js";
import type { PasswordHasher } from "../../lib/crypto/password-hasher.js";
import type { RecentAuth, ReauthCredentials } from "./recent-auth.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import type { RequestMeta } from "../../request-context.js";
import type { SessionStore } from "../sessions/session-store.js";
import type { AuthContext } from "../../request-context.js";
import type { MfaRepo } from "../security/mfa/mfa.repo.js";
import type { SignInGate } from "./sign-in-gate.js";
import type { UsersRepo } from "../users/users.repo.js";
import { authErrors } from "./auth.errors.js";
import type { CredentialCheck } from "./credential-check.js";

/** Completed sign-in facts handed to the Sessions feature (new-device alert). */
export interface SignInFacts {
  userId: string;
  sessionId: string;
  ip: string | null;
  userAgent: string | null;
}

export interface AuthServiceDeps {
  db: Kysely<Database>;
  users: UsersRepo;
  mfaFactors: MfaRepo;
  /** Passkeys count as a second factor too. */
  passkeyRows: PasskeysRepo;
  sessions: SessionStore;
  events: EventRecorder;
  hasher: PasswordHasher;
  credentials: CredentialCheck;
  recentAuth: RecentAuth;
  logger: FastifyBaseLogger;
  /** The user JSON of the contract (General's presenter: adds the pending email change). */
  presentMe: (auth: { user: UsersTable; mfaEnabled: boolean }) => Promise<UserDto>;
  /** True while an operator has the person disabled (the people feature); checked in the sign-in transaction too. */
  isDisabled: (userId: string, executor?: Executor) => Promise<boolean>;
  /** Who may not sign in even with the right password (sign-in-gate.ts; passkeys use the same). */
  refusalOf: SignInGate;
  /** Called after a completed sign-in; never throws (Sessions feature). */
  onSignIn?: (facts: SignInFacts) => Promise<void>;
}

/** What a sign-in produced: the new session (its token goes only into the cookie). */
export type SignInResult =
  | { status: "authenticated"; token: string; session: SessionsTable; user: UserDto }
  | { status: "mfa_required"; token: string; session: SessionsTable; methods: SecondStepMethod[] };

/**
 * What the audit trail keeps of a typed sign-in email. Something without an `@` is more likely a
 * password typed into the wrong field than an address, so it is not kept (OWASP Logging Cheat
 * Sheet: never log authentication passwords).
 */
function attemptedIdentifier(email: string): string {
  return email.includes("@") ? email.slice(0, 254) : "[not an email address]";
}

/** Sign-in, sign-out and re-authentication on top of the session engine. */
export function createAuthService(deps: AuthServiceDeps) {
  const { db, users, mfaFactors, sessions, events, hasher, credentials } = deps;

  /**
   * `POST /auth/login`: throttled argon2id check (unknown emails cost and answer the same), then
   * a brand-new session. The session the request carried, if any, is ended rather than promoted
   * (session fixation, C2). With MFA on, the new session is a 5-minute pending one that can only
   * do the code step and logout.
   */
  async function signIn(input: LoginInput, carriedSessionId: string | null, meta: RequestMeta): Promise<SignInResult> {
    const user = await users.findByEmail(input.email);
    const ok = await credentials.verifyPassword(input.email, user, input.password, meta);
    if (!ok || !user) {
      await recordSignInFailure(input.email, user, meta);
      throw authErrors.invalidCredentials();
    }
    // Refusals after a correct password (disabled, or a lockdown asked for a new password): only
    // now, so they cost what a wrong password costs.
    const refusal = await deps.refusalOf(user.id);
    if (refusal) {
      await recordSignInFailure(input.email, user, meta, refusal.reason);
      throw refusal.error;
    }
    const rehash = await rehashIfOutdated(user, input.password);
    const methods = await secondStepsOf(user.id);
    const mfaEnabled = methods.length > 0;
    const created = await db.transaction().execute(async (trx) => {
      if (carriedSessionId) await sessions.endSession(trx, carriedSessionId, "signed_out");
      if (rehash) await users.in(trx).replacePasswordHash(user.id, rehash);
      const result = await sessions.createSession(trx, {
        userId: user.id,
        ip: meta.ip,
        userAgent: meta.userAgent,
        mfaPending: mfaEnabled,
        methods: ["pwd"],
      });
      // With the person's row now locked, a disabling that committed meanwhile is seen (its cut would miss this session).
      if (await deps.isDisabled(user.id, trx)) throw authErrors.accountDisabled();
      await events.recordEvent(trx, {
        type: "authn_login_success",
        userId: user.id,
        details: { factor: "password", mfaRequired: mfaEnabled, ...(rehash ? { rehashed: true } : {}) },
        meta: { ...meta, sessionId: result.session.id },
      });
      return result;
    });
    if (mfaEnabled) return { status: "mfa_required", ...created, methods };
    await deps.onSignIn?.({ userId: user.id, sessionId: created.session.id, ip: meta.ip, userAgent: meta.userAgent });
    return { status: "authenticated", ...created, user: await deps.presentMe({ user, mfaEnabled: false }) };
  }

  /** The second steps the person has: codes with an authenticator app, and passkeys. */
  async function secondStepsOf(userId: string): Promise<SecondStepMethod[]> {
    const methods: SecondStepMethod[] = [];
    if (await mfaFactors.hasConfirmedTotp(userId)) methods.push("totp", "recovery_code");
    if ((await deps.passkeyRows.countForUser(userId)) > 0) methods.push("passkey");
    return methods;
  }

  /** A hash with current parameters when the stored one is outdated (A13); skipped when the hasher is busy. */
  async function rehashIfOutdated(user: UsersTable, password: string): Promise<string | undefined> {
    if (!user.passwordHash || !hasher.needsRehash(user.passwordHash)) return undefined;
    try {
      return await hasher.hashPassword(password);
    } catch {
      return undefined; // next successful sign-in tries again
    }
  }

  async function recordSignInFailure(
    email: string,
    user: UsersTable | undefined,
    meta: RequestMeta,
    reason: "invalid_credentials" | "account_disabled" | "password_reset_required" = "invalid_credentials",
  ): Promise<void> {
    const attempted = attemptedIdentifier(email);
    await events.recordEvent(db, {
      type: "authn_login_fail",
      userId: user?.id ?? null,
      result: "failure",
      // The typed email only when it matches nobody (operators spot stuffing); never the password.
      details: { factor: "password", reason, ...(user ? {} : { unknownEmail: attempted }) },
      meta,
    });
    // pino writes it JSON-escaped: CR/LF or ANSI escapes stay inside this one record (I5).
    deps.logger.info(
      { attemptedEmail: attempted, userId: user?.id ?? null, ip: meta.ip, reqId: meta.requestId ?? undefined },
      "sign-in attempt failed",
    );
  }

  /** `POST /auth/logout`: ends the session (`signed_out`); a request without one is fine too. */
  async function signOut(auth: AuthContext | null, meta: RequestMeta): Promise<void> {
    if (!auth) return;
    await db.transaction().execute(async (trx) => {
      const ended = await sessions.endSession(trx, auth.session.id, "signed_out");
      if (!ended) return;
      await events.recordEvent(trx, {
        type: "authn_logout",
        userId: auth.user.id,
        meta: { ...meta, sessionId: auth.session.id },
      });
    });
  }

  /**
   * `POST /auth/reauthenticate`: password (+ code when MFA is on) again; the session counts as
   * freshly signed in and gets a new token (C2). Returns the new token.
   */
  async function reauthenticate(auth: AuthContext, body: ReauthCredentials, meta: RequestMeta): Promise<string> {
    if (!body.passkey) deps.recentAuth.assertPasswordSuffices(auth);
    const proof = await deps.recentAuth.verifyCredentials(auth, body, meta, 401);
    const second = proof.via === "credentials" ? proof.secondFactor : undefined;
    const factors = second?.method === "passkey" ? ["passkey"] : second ? ["password", second.method] : ["password"];
    return db.transaction().execute(async (trx) => {
      const token = await sessions.rotateSession(trx, auth.session.id, {
        authenticated: true,
        ...(second ? { mfaVerified: true } : {}),
        ...(proof.via === "credentials" ? { methods: proof.methods } : {}),
      });
      await events.recordEvent(trx, {
        type: "authn_reauthenticate",
        userId: auth.user.id,
        details: { factors },
        meta: { ...meta, sessionId: auth.session.id },
      });
      return token;
    });
  }

  return { signIn, signOut, reauthenticate };
}

export type AuthService = ReturnType<typeof createAuthService>;

import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { Clock } from "../../lib/clock.js";
import type { AuthContext, RequestMeta } from "../../request-context.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import type { SecondFactorPass, SecondFactorResult } from "../security/mfa/second-factor-result.js";
import type { CredentialCheck } from "./credential-check.js";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";

/** What the MFA service offers here: a one-shot check of a code (throttled and replay-safe there). */
export interface SecondFactorVerifier {
  verifySecondFactor(userId: string, code: string, meta: RequestMeta): Promise<SecondFactorResult>;
}

/** What the Passkeys feature offers here: one check of an assertion of the session's person (throws 401). */
export interface PasskeyVerifier {
  verifyForSession(auth: AuthContext, response: AuthenticationResponseJSON, meta: RequestMeta): Promise<{ methods: string[] }>;
}

/** Credentials a sensitive call may carry in its body. */
export interface ReauthCredentials {
  password?: string | undefined;
  code?: string | undefined;
  /** A passkey assertion answering this session's `/auth/passkey/options` challenge (re-authentication only). */
  passkey?: AuthenticationResponseJSON | undefined;
}

/** How the caller proved it is the person: a fresh session, or credentials in this request. */
export type RecentAuthProof =
  { via: "session" } | { via: "credentials"; secondFactor?: SecondFactorPass | { method: "passkey" }; methods: string[] };

export interface RecentAuthDeps {
  db: Kysely<Database>;
  clock: Clock;
  events: EventRecorder;
  credentials: CredentialCheck;
  reauthMaxAgeMinutes: number;
  /** Checks an authenticator or recovery code (the MFA service). */
  secondFactor: SecondFactorVerifier;
  /** Checks a passkey assertion (the Passkeys feature). */
  passkeys: PasskeyVerifier;
}

export const recentAuthErrors = {
  required: (codeRequired: boolean) =>
    new AppError("reauthentication_required", {
      message: codeRequired
        ? "Confirm it's you: enter your password and a code from your authenticator app."
        : "Confirm it's you: enter your password.",
      details: { passwordRequired: true, codeRequired },
    }),
  /** A person whose only second factor is a passkey confirms with it: their password alone is one factor. */
  passkeyRequired: () =>
    new AppError("reauthentication_required", {
      message: "Confirm it's you with your passkey.",
      details: { passwordRequired: false, codeRequired: false, passkeyRequired: true },
    }),
  invalidPassword: () => new AppError("invalid_password", { message: "The password is not correct." }),
  invalidCode: (status: 400 | 401 = 400) =>
    new AppError("invalid_code", { status, message: "The code is not correct or was already used." }),
};

/**
 * Step-up for sensitive calls (ASVS 7.5.1/7.5.3, checklist B8/C11), like Better Auth's
 * `freshSessionMiddleware`: a session whose last authentication is within
 * REAUTH_MAX_AGE_MINUTES passes; otherwise the request body must carry the password (and, when
 * MFA is on, a code). Password checks go through the per-account/per-IP throttle.
 */
export function createRecentAuth(deps: RecentAuthDeps) {
  const maxAgeMs = deps.reauthMaxAgeMinutes * 60_000;

  /** True when the session authenticated recently enough to skip the step-up. */
  function isRecent(auth: AuthContext): boolean {
    return deps.clock.now() - auth.session.authenticatedAt < maxAgeMs;
  }

  /**
   * Checks a passkey assertion, or password (+ code when an authenticator app is on) regardless of the session's age. Throws 401
   * `invalid_password`, `invalid_code` (status `codeStatus`), 429 `rate_limited`, or 401
   * `reauthentication_required` when a needed credential is missing (checked before any
   * hashing, so a missing code does not reveal whether the password was right).
   */
  async function verifyCredentials(
    auth: AuthContext,
    body: ReauthCredentials,
    meta: RequestMeta,
    codeStatus: 400 | 401 = 400,
  ): Promise<RecentAuthProof> {
    if (body.passkey) {
      // A passkey with user verification is two factors by itself (NIST SP 800-63B-4 AAL2).
      const proof = await deps.passkeys.verifyForSession(auth, body.passkey, meta);
      return { via: "credentials", secondFactor: { method: "passkey" }, methods: proof.methods };
    }
    if (!body.password || (auth.totpEnabled && !body.code)) throw recentAuthErrors.required(auth.totpEnabled);
    const ok = await deps.credentials.verifyPassword(auth.user.email, auth.user, body.password, meta);
    if (!ok) {
      await recordFailure(auth, meta, "password");
      throw recentAuthErrors.invalidPassword();
    }
    if (!auth.totpEnabled || !body.code) return { via: "credentials", methods: ["pwd"] };
    const result: SecondFactorResult = await deps.secondFactor.verifySecondFactor(auth.user.id, body.code, meta);
    if (!result.ok) {
      await recordFailure(auth, meta, "totp");
      throw recentAuthErrors.invalidCode(codeStatus);
    }
    const secondFactor =
      result.recoveryCodesLeft === undefined
        ? { method: result.method }
        : { method: result.method, recoveryCodesLeft: result.recoveryCodesLeft };
    return { via: "credentials", secondFactor, methods: ["pwd", "otp", "mfa"] };
  }

  /**
   * Throws 401 `reauthentication_required` (`passkeyRequired`) for a person whose only second
   * factor is a passkey: the password (and no code to go with it) would be one factor only.
   */
  function assertPasswordSuffices(auth: AuthContext): void {
    if (auth.mfaEnabled && !auth.totpEnabled) throw recentAuthErrors.passkeyRequired();
  }

  async function recordFailure(auth: AuthContext, meta: RequestMeta, factor: "password" | "totp"): Promise<void> {
    await deps.events.recordEvent(deps.db, {
      type: "authn_reauthenticate",
      userId: auth.user.id,
      result: "failure",
      details: { factor },
      meta,
    });
  }

  /**
   * Passes when the session is fresh, or when `body` carries the right password (and code).
   * Throws 401 `reauthentication_required` without credentials, 401 `invalid_password`,
   * 400 `invalid_code`, 429 `rate_limited`.
   */
  async function requireRecentAuth(auth: AuthContext, body: ReauthCredentials = {}, meta: RequestMeta): Promise<RecentAuthProof> {
    if (isRecent(auth)) return { via: "session" };
    if (body.passkey) return verifyCredentials(auth, body, meta);
    assertPasswordSuffices(auth);
    if (!body.password) throw recentAuthErrors.required(auth.totpEnabled);
    return verifyCredentials(auth, body, meta);
  }

  return { requireRecentAuth, verifyCredentials, assertPasswordSuffices, isRecent };
}

export type RecentAuth = ReturnType<typeof createRecentAuth>;

import { generateAuthenticationOptions, verifyAuthenticationResponse } from "@simplewebauthn/server";
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { UserDto } from "../../../contracts/me.js";
import type { PasskeysTable, SessionsTable, UsersTable } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { newOpaqueId } from "../../lib/ids.js";
import type { AuthContext, RequestMeta } from "../../request-context.js";
import { accountThrottleKey, ipThrottleKey } from "../auth/credential-check.js";
import type { SignInFacts } from "../sessions/session-insights.service.js";
import { THROTTLE_POLICIES, type Reservation, type ThrottlePolicy } from "../throttle/throttle.js";
import type { PasskeysDeps } from "./passkeys.deps.js";
import { passkeyErrors } from "./passkeys.errors.js";
import { parseTransports, sessionBinding } from "./passkeys.service.js";
import { CHALLENGE_TTL_MS, passkeyAuthMethods } from "./relying-party.js";

export interface PasskeySignInDeps extends PasskeysDeps {
  /** The user JSON of the contract (General's presenter). */
  presentMe: (auth: { user: UsersTable; mfaEnabled: boolean }) => Promise<UserDto>;
  /** Called after a completed sign-in; never throws (Sessions feature). */
  onSignIn?: (facts: SignInFacts) => Promise<void>;
  /**
   * Why this person may not sign in now although their passkey is right (an operator disabled
   * them, or a lockdown asked for a new password), as the error to answer; undefined when they may.
   */
  refusalOf?: (userId: string) => Promise<{ error: Error; reason: string } | undefined>;
}

/** A passkey that passed: whose it is and the `amr` values of its use. */
export interface PasskeyProof {
  user: UsersTable;
  passkey: PasskeysTable;
  methods: string[];
}

/** What a passkey sign-in produced: the session (its token goes only into the cookie). */
export interface PasskeySignInResult {
  token: string;
  session: Pick<SessionsTable, "id" | "expiresAt">;
  user: UserDto;
}

type Throttled = Array<{ key: string; policy: ThrottlePolicy }>;

/**
 * Signing in with a passkey: usernameless (a discoverable credential picked in the browser), as
 * the second step after a password, or to re-authenticate. Every assertion must answer the live
 * challenge of the browser that asked (taken once), come from PUBLIC_URL's origin for its RP id,
 * carry user verification, be signed by a registered credential (of the pending or current
 * session's person, where there is one) and move its signature counter forward. Anything else is
 * 401 `invalid_credentials`, counted by the same throttles as a wrong password.
 */
export function createPasskeySignInService(deps: PasskeySignInDeps) {
  const { db, passkeys, challenges, users, sessions, events, throttle, clock, rp, logger } = deps;

  /**
   * Request options for the browser identified by `binding`: for a session (pending second step
   * or re-authentication), its person's passkeys are listed; without one, none are (the browser
   * offers its discoverable credentials).
   */
  async function authenticationOptions(
    binding: string,
    auth: AuthContext | null,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const own = auth ? await passkeys.listForUser(auth.user.id) : [];
    const options = await generateAuthenticationOptions({
      rpID: rp.id,
      userVerification: "required",
      timeout: CHALLENGE_TTL_MS,
      allowCredentials: own.map((p) => ({ id: p.credentialId, transports: parseTransports(p.transports) })),
    });
    const now = clock.now();
    await challenges.replace(
      {
        id: newOpaqueId(),
        binding,
        purpose: "authentication",
        challenge: options.challenge,
        userId: auth?.user.id ?? null,
        userHandle: null,
        createdAt: now,
        expiresAt: now + CHALLENGE_TTL_MS,
      },
      now,
    );
    return options;
  }

  /**
   * Counts the attempt on its keys before it is checked (one atomic statement, so parallel
   * attempts on one node or several cannot all pass): 429 while any key is locked, recording the
   * refused attempt. A failure keeps the count; a success clears the account's and gives the
   * address its attempt back, as for passwords (credential-check.ts).
   */
  async function reserve(keys: Throttled, userId: string | null, meta: RequestMeta): Promise<Reservation> {
    try {
      return await throttle.reserveAttempt(keys);
    } catch (error) {
      if (error instanceof AppError && error.code === "rate_limited") {
        const details = { action: "passkey", retryAfterSeconds: error.details?.retryAfterSeconds };
        await events.recordEvent(db, { type: "excess_rate_limit_exceeded", userId, result: "failure", details, meta });
      }
      throw error;
    }
  }

  /**
   * Checks an assertion against the browser's challenge; `expectedUserId` narrows it to one
   * person's passkeys. Records the failure (event, throttle) and throws 401 on any refusal.
   */
  async function verifyAssertion(
    binding: string,
    response: AuthenticationResponseJSON,
    expected: UsersTable | null,
    meta: RequestMeta,
    eventType: "authn_login_fail" | "authn_mfa_fail" | "authn_reauthenticate",
  ): Promise<PasskeyProof> {
    const expectedUserId = expected?.id ?? null;
    const ipKey = { key: ipThrottleKey(meta.ip), policy: THROTTLE_POLICIES.passwordPerIp };
    const challenge = await challenges.take(binding, "authentication", clock.now());
    const passkey = await passkeys.findByCredentialId(response.id);
    const owner = passkey ? await users.findById(passkey.userId) : undefined;
    // Whose attempt this is: the session's person where there is one, else the passkey's owner.
    const subject = expected ?? owner;
    const keys: Throttled = [ipKey];
    if (subject) keys.unshift({ key: accountThrottleKey(subject.email), policy: THROTTLE_POLICIES.passwordPerAccount });
    const reservation = await reserve(keys, subject?.id ?? null, meta);

    const fail = async (reason: string, error?: unknown): Promise<never> => {
      await events.recordEvent(db, {
        type: eventType,
        userId: subject?.id ?? null,
        result: "failure",
        details: { factor: "passkey", reason, ...(error instanceof Error ? { error: error.message.slice(0, 200) } : {}) },
        meta,
      });
      // The reserved attempt stays counted; it started a lock when it reached a threshold.
      const { lockedUntil } = reservation;
      if (lockedUntil > 0) {
        await events.recordEvent(db, {
          type: "authn_login_lock",
          userId: subject?.id ?? null,
          result: "failure",
          details: { factor: "passkey", until: new Date(lockedUntil).toISOString() },
          meta,
        });
      }
      throw passkeyErrors.invalidCredentials();
    };

    if (!challenge) return fail("no_challenge");
    if (!passkey || !owner) return fail("unknown_credential");
    const user = owner;
    if (expectedUserId !== null && passkey.userId !== expectedUserId) return fail("other_person");
    if (challenge.userId !== null && challenge.userId !== passkey.userId) return fail("other_person");
    if (response.response.userHandle !== undefined && response.response.userHandle !== passkey.userHandle)
      return fail("user_handle_mismatch");

    let verification;
    try {
      verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        requireUserVerification: true,
        credential: {
          id: passkey.credentialId,
          publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
          counter: Number(passkey.counter),
          transports: parseTransports(passkey.transports),
        },
      });
    } catch (error) {
      // The library refuses a counter that did not move forward: the authenticator may have been cloned.
      if (error instanceof Error && /counter/i.test(error.message)) {
        logger.warn({ userId: user.id, passkeyId: passkey.id }, "passkey signature counter went backwards: possible clone");
        return fail("counter_not_increased", error);
      }
      return fail("not_verified", error);
    }
    if (!verification.verified || !verification.authenticationInfo.userVerified) return fail("not_verified");
    const info = verification.authenticationInfo;
    const recorded = await passkeys.recordUse(passkey.id, Number(passkey.counter), {
      counter: info.newCounter,
      backedUp: info.credentialBackedUp,
      deviceType: info.credentialDeviceType,
      at: clock.now(),
    });
    if (!recorded) return fail("concurrent_use");
    await throttle.settleAttempt(
      reservation,
      keys.slice(0, keys.length - 1).map((k) => k.key),
    );
    return { user, passkey, methods: passkeyAuthMethods(info.credentialDeviceType) };
  }

  /**
   * `POST /auth/passkey`. With a session waiting for its second step, the passkey must be that
   * person's and the session becomes a full one (new token). Otherwise a brand-new session
   * (the one carried, if any, ends: session fixation, C2), counted as MFA.
   */
  async function signIn(
    carried: AuthContext | null,
    binding: string,
    response: AuthenticationResponseJSON,
    meta: RequestMeta,
  ): Promise<PasskeySignInResult> {
    const pending = carried?.session.mfaPending === 1 ? carried : null;
    const proof = await verifyAssertion(
      binding,
      response,
      pending?.user ?? null,
      meta,
      pending ? "authn_mfa_fail" : "authn_login_fail",
    );
    const { user, passkey, methods } = proof;
    // The same refusals as a right password gets, after the same verification work.
    const refusal = await deps.refusalOf?.(user.id);
    if (refusal) {
      await events.recordEvent(db, {
        type: pending ? "authn_mfa_fail" : "authn_login_fail",
        userId: user.id,
        result: "failure",
        details: { factor: "passkey", reason: refusal.reason },
        meta,
      });
      throw refusal.error;
    }
    let result: { token: string; session: Pick<SessionsTable, "id" | "expiresAt"> };
    if (pending) {
      const token = await db.transaction().execute(async (trx) => {
        await events.recordEvent(trx, {
          type: "authn_mfa_success",
          userId: user.id,
          details: { method: "passkey", passkeyId: passkey.id },
          meta,
        });
        return sessions.rotateSession(trx, pending.session.id, {
          authenticated: true,
          mfaVerified: true,
          mfaPending: false,
          methods,
        });
      });
      result = { token, session: { id: pending.session.id, expiresAt: clock.now() + sessions.maxMs } };
    } else {
      result = await db.transaction().execute(async (trx) => {
        if (carried) await sessions.endSession(trx, carried.session.id, "signed_out");
        const created = await sessions.createSession(trx, {
          userId: user.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          mfaVerified: true,
          methods,
        });
        await events.recordEvent(trx, {
          type: "authn_login_success",
          userId: user.id,
          details: { factor: "passkey", passkeyId: passkey.id, mfa: true },
          meta: { ...meta, sessionId: created.session.id },
        });
        return created;
      });
    }
    await deps.onSignIn?.({ userId: user.id, sessionId: result.session.id, ip: meta.ip, userAgent: meta.userAgent });
    return { ...result, user: await deps.presentMe({ user, mfaEnabled: true }) };
  }

  /** Re-authentication with a passkey of the session's person (after `/auth/passkey/options`). */
  async function verifyForSession(
    auth: AuthContext,
    response: AuthenticationResponseJSON,
    meta: RequestMeta,
  ): Promise<PasskeyProof> {
    return verifyAssertion(sessionBinding(auth.session.id), response, auth.user, meta, "authn_reauthenticate");
  }

  return { authenticationOptions, signIn, verifyForSession };
}

export type PasskeySignInService = ReturnType<typeof createPasskeySignInService>;

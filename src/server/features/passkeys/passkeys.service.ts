import { randomBytes } from "node:crypto";
import { generateRegistrationOptions, verifyRegistrationResponse } from "@simplewebauthn/server";
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { LIMITS } from "../../../contracts/limits.js";
import type { PasskeyDto } from "../../../contracts/passkeys.js";
import type { PasskeysTable } from "../../db/schema.js";
import { newOpaqueId } from "../../lib/ids.js";
import type { AuthContext, RequestMeta } from "../../request-context.js";
import { passkeyAddedMail, passkeyRemovedMail } from "../security/security.mails.js";
import { mfaErrors } from "../security/mfa/mfa.errors.js";
import type { PasskeysDeps } from "./passkeys.deps.js";
import { passkeyErrors } from "./passkeys.errors.js";
import { presentPasskey } from "./passkeys.presenters.js";
import { authenticatorNameOf, CHALLENGE_TTL_MS, passkeyAuthMethods, SUPPORTED_ALGORITHMS } from "./relying-party.js";

/** The binding of a challenge to the session that asked for it. */
export function sessionBinding(sessionId: string): string {
  return `session:${sessionId}`;
}

/**
 * The person's passkeys: registration (options, then the verified response), the list, renaming
 * and removal. Adding the first passkey turns MFA on and removing the last second factor turns
 * it off, with the same consequences as the authenticator app (other sessions end, C7; removal
 * refused while an account requires MFA).
 */
export function createPasskeysService(deps: PasskeysDeps) {
  const { db, passkeys, challenges, mfaFactors, accountRows, sessions, events, mailer, clock, rp, logger } = deps;

  function deliverMail(): void {
    mailer.deliverDueMail().catch((error: unknown) => logger.warn({ err: error }, "mail delivery run failed"));
  }

  async function list(userId: string): Promise<PasskeyDto[]> {
    return (await passkeys.listForUser(userId)).map(presentPasskey);
  }

  /**
   * Creation options for a discoverable credential with user verification required. The
   * challenge is stored bound to this session, with the user handle offered (the one the
   * person's passkeys already carry, or a new random one). The caller passed the
   * recent-authentication check.
   */
  async function registrationOptions(auth: AuthContext): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const userId = auth.user.id;
    const existing = await passkeys.listForUser(userId);
    if (existing.length >= LIMITS.passkeysMax) throw passkeyErrors.tooMany(LIMITS.passkeysMax);
    const userHandle = existing[0]?.userHandle ?? randomBytes(32).toString("base64url");
    const options = await generateRegistrationOptions({
      rpName: rp.name,
      rpID: rp.id,
      userName: auth.user.email,
      userDisplayName: `${auth.user.firstName} ${auth.user.lastName}`.trim() || auth.user.email,
      userID: new Uint8Array(Buffer.from(userHandle, "base64url")),
      timeout: CHALLENGE_TTL_MS,
      attestationType: "none",
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: parseTransports(p.transports) })),
      authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
    });
    const now = clock.now();
    await challenges.replace(
      {
        id: newOpaqueId(),
        binding: sessionBinding(auth.session.id),
        purpose: "registration",
        challenge: options.challenge,
        userId,
        userHandle,
        createdAt: now,
        expiresAt: now + CHALLENGE_TTL_MS,
      },
      now,
    );
    return options;
  }

  /**
   * Verifies the browser's response to this session's registration challenge (taken once,
   * whatever the outcome) and stores the passkey. 400 `invalid_passkey`, with nothing stored,
   * for anything that does not verify: no or another challenge, wrong origin or RP id, no user
   * verification, a malformed attestation, a credential already registered. Returns the passkey
   * and the session's new token.
   */
  async function register(
    auth: AuthContext,
    input: { response: RegistrationResponseJSON; name?: string | undefined },
    meta: RequestMeta,
  ): Promise<{ passkey: PasskeyDto; token: string }> {
    const userId = auth.user.id;
    const challenge = await challenges.take(sessionBinding(auth.session.id), "registration", clock.now());
    if (!challenge || challenge.userId !== userId || !challenge.userHandle) throw await refuse(auth, "no_challenge", meta);
    let verification;
    try {
      verification = await verifyRegistrationResponse({
        response: input.response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        requireUserVerification: true,
        supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
      });
    } catch (error) {
      throw await refuse(auth, "not_verified", meta, error);
    }
    if (!verification.verified) throw await refuse(auth, "not_verified", meta);
    const info = verification.registrationInfo;
    if (await passkeys.findByCredentialId(info.credential.id)) throw await refuse(auth, "already_registered", meta);
    const at = clock.now();
    const row: PasskeysTable = {
      id: newOpaqueId(),
      userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
      userHandle: challenge.userHandle,
      counter: info.credential.counter,
      transports: JSON.stringify(input.response.response.transports ?? []),
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp ? 1 : 0,
      aaguid: info.aaguid,
      name: input.name ?? authenticatorNameOf(info.aaguid) ?? "Passkey",
      createdAt: at,
      lastUsedAt: null,
    };
    const token = await db.transaction().execute(async (trx) => {
      const firstFactor = !auth.mfaEnabled && (await passkeys.in(trx).countForUser(userId)) === 0;
      if ((await passkeys.in(trx).countForUser(userId)) >= LIMITS.passkeysMax) throw passkeyErrors.tooMany(LIMITS.passkeysMax);
      await passkeys.in(trx).insert(row);
      // The first second factor turns MFA on: as with the authenticator app, every other session ends (C7).
      const ended = firstFactor ? await sessions.endUserSessions(trx, userId, "mfa_enabled", auth.session.id) : 0;
      await events.recordEvent(trx, {
        type: "passkey_added",
        userId,
        details: {
          passkeyId: row.id,
          passkeyName: row.name,
          authenticator: authenticatorNameOf(row.aaguid),
          backedUp: row.backedUp === 1,
        },
        meta,
      });
      if (firstFactor)
        await events.recordEvent(trx, {
          type: "mfa_enabled",
          userId,
          details: { method: "passkey", otherSessionsEnded: ended },
          meta,
        });
      await mailer.enqueueMail(trx, passkeyAddedMail(auth.user, { at, ip: meta.ip, publicUrl: deps.publicUrl }, row.name));
      // Creating the passkey needed the person's verification on the authenticator: this session has used it.
      return sessions.rotateSession(trx, auth.session.id, { mfaVerified: true, methods: passkeyAuthMethods(row.deviceType) });
    });
    deliverMail();
    return { passkey: presentPasskey(row), token };
  }

  /** Records the refusal (nothing else changes) and makes its error. */
  async function refuse(auth: AuthContext, reason: string, meta: RequestMeta, error?: unknown) {
    await events.recordEvent(db, {
      type: "passkey_added",
      userId: auth.user.id,
      result: "failure",
      details: { reason, ...(error instanceof Error ? { error: error.message.slice(0, 200) } : {}) },
      meta,
    });
    return passkeyErrors.invalidPasskey(reason);
  }

  async function rename(auth: AuthContext, id: string, name: string, meta: RequestMeta): Promise<PasskeyDto> {
    const userId = auth.user.id;
    return db.transaction().execute(async (trx) => {
      if (!(await passkeys.in(trx).rename(userId, id, name))) throw passkeyErrors.notFound();
      const row = await passkeys.in(trx).findOwned(userId, id);
      if (!row) throw passkeyErrors.notFound();
      await events.recordEvent(trx, { type: "passkey_renamed", userId, details: { passkeyId: id, passkeyName: name }, meta });
      return presentPasskey(row);
    });
  }

  /**
   * Removes one of the person's passkeys (the caller passed the recent-authentication check).
   * Removing the last second factor turns MFA off: refused (409 `mfa_required_by_account`)
   * while an account requires MFA, else every other session ends and this one goes on without
   * MFA. Returns the session's new token when it changed.
   */
  async function remove(auth: AuthContext, id: string, meta: RequestMeta): Promise<string | undefined> {
    const userId = auth.user.id;
    const row = await passkeys.findOwned(userId, id);
    if (!row) throw passkeyErrors.notFound();
    const lastFactor = !auth.totpEnabled && (await passkeys.countForUser(userId)) === 1;
    if (lastFactor) {
      const requiring = await accountRows.findAccountsRequiringMfa(userId);
      if (requiring.length > 0) throw mfaErrors.requiredByAccount(requiring);
    }
    const at = clock.now();
    const token = await db.transaction().execute(async (trx) => {
      if (!(await passkeys.in(trx).delete(userId, id))) throw passkeyErrors.notFound();
      const mfaOff = !(await mfaFactors.in(trx).hasConfirmedTotp(userId)) && (await passkeys.in(trx).countForUser(userId)) === 0;
      await events.recordEvent(trx, { type: "passkey_removed", userId, details: { passkeyId: id, passkeyName: row.name }, meta });
      await mailer.enqueueMail(
        trx,
        passkeyRemovedMail(auth.user, { at, ip: meta.ip, publicUrl: deps.publicUrl }, row.name, mfaOff),
      );
      if (!mfaOff) return undefined;
      const ended = await sessions.endUserSessions(trx, userId, "mfa_disabled", auth.session.id);
      await events.recordEvent(trx, {
        type: "mfa_disabled",
        userId,
        details: { method: "passkey", otherSessionsEnded: ended },
        meta,
      });
      return sessions.rotateSession(trx, auth.session.id, { mfaVerified: false });
    });
    deliverMail();
    return token;
  }

  return { list, registrationOptions, register, rename, remove };
}

export type PasskeysService = ReturnType<typeof createPasskeysService>;

/** The transports stored with a passkey (a JSON array; anything else reads as none). */
export function parseTransports(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : [];
  } catch {
    return [];
  }
}

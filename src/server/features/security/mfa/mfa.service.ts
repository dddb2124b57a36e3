import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { ResolvedConfig } from "../../../config.js";
import type { Database, Executor } from "../../../db/schema.js";
import type { Clock } from "../../../lib/clock.js";
import type { EventRecorder } from "../../activity/event-recorder.js";
import type { Encryptor } from "../../../lib/crypto/encrypt.js";
import type { PasswordHasher } from "../../../lib/crypto/password-hasher.js";
import type { SessionStore } from "../../sessions/session-store.js";
import QRCode from "qrcode";
import type { AccountsRepo } from "../../accounts/accounts.repo.js";
import type { UsersRepo } from "../../users/users.repo.js";
import type { RequestMeta } from "../../../request-context.js";
import type { AuthContext } from "../../../request-context.js";
import type { MailMessage, Mailer } from "../../mail/mailer.js";
import type { Throttle } from "../../throttle/throttle.js";
import { mfaDisabledMail, mfaEnabledMail, recoveryCodesRegeneratedMail } from "../security.mails.js";
import { mfaErrors } from "./mfa.errors.js";
import type { MfaRepo } from "./mfa.repo.js";
import type { LockdownLinkIssuer } from "../../lockdown/lockdown-links.js";
import { formatRecoveryCode, generateRecoveryCodes, storedRecoveryCode } from "./recovery-codes.js";
import { codeThrottleKey, createSecondFactorVerifier } from "./second-factor.js";
import type { SecondFactorResult } from "./second-factor-result.js";
import { buildOtpauthUri, generateTotpSecret, toBase32, verifyTotp } from "./totp.js";

export interface MfaServiceDeps {
  db: Kysely<Database>;
  mfaFactors: MfaRepo;
  users: UsersRepo;
  /** Which accounts require MFA of the person. */
  accountRows: AccountsRepo;
  clock: Clock;
  config: Pick<ResolvedConfig, "mfaIssuer" | "publicUrl">;
  encryptor: Encryptor;
  hasher: PasswordHasher;
  events: EventRecorder;
  mailer: Mailer;
  sessions: SessionStore;
  logger: FastifyBaseLogger;
  throttle: Throttle;
  /** How many passkeys the person has: passkeys are a second factor too (Passkeys feature). */
  countPasskeys: (userId: string) => Promise<number>;
  /** The "This wasn't me" link of the "MFA turned off" notice. */
  lockdownLinks: LockdownLinkIssuer;
}

/** For MFA-gated actions: `codeChecked` when the step-up of this same request already verified the code. */
export interface CodeOptions {
  codeChecked?: boolean;
}

/** `GET /me/mfa`. */
export interface MfaStatus {
  totp: { enabled: boolean; enabledAt: number | null };
  recoveryCodesLeft: number;
  /** How many passkeys the person has. */
  passkeys: number;
  /** Accounts whose policy requires MFA of the person (turning it off is refused while any). */
  requiredBy: Array<{ id: string; name: string }>;
}

/**
 * Authenticator-app MFA: enrollment (setup → confirm), disabling, recovery codes, and the
 * second-factor check every other feature uses (`verifySecondFactor`).
 */
export function createMfaService(deps: MfaServiceDeps) {
  const { db, mfaFactors, accountRows, clock, config, encryptor, hasher, events, mailer, sessions, throttle, logger } = deps;
  const verifier = createSecondFactorVerifier(deps);

  function deliverMail(): void {
    mailer.deliverDueMail().catch((error: unknown) => logger.warn({ err: error }, "mail delivery run failed"));
  }

  /**
   * The common end of turning MFA on or off, inside its transaction (C7): every other session
   * ends, the current one goes on with a new token, and the event and the notice mail are
   * written. Returns the new token.
   */
  async function settleMfaChange(
    trx: Executor,
    auth: AuthContext,
    change: { type: "mfa_enabled" | "mfa_disabled"; mfaVerified: boolean; mail: MailMessage },
    meta: RequestMeta,
  ): Promise<string> {
    const userId = auth.user.id;
    const ended = await sessions.endUserSessions(trx, userId, change.type, auth.session.id);
    const rotated = await sessions.rotateSession(trx, auth.session.id, {
      mfaVerified: change.mfaVerified,
      ...(change.type === "mfa_enabled" ? { methods: ["otp", "mfa"] } : {}),
    });
    await events.recordEvent(trx, { type: change.type, userId, details: { method: "totp", otherSessionsEnded: ended }, meta });
    await mailer.enqueueMail(trx, change.mail);
    return rotated;
  }

  /** Ten fresh codes: shown once (formatted), stored only as argon2id hashes with lookup ids. */
  async function newRecoveryCodes(): Promise<{ shown: string[]; stored: string[] }> {
    const codes = generateRecoveryCodes();
    const stored = await Promise.all(codes.map(async (c) => storedRecoveryCode(c, await hasher.hashPassword(c))));
    return { shown: codes.map(formatRecoveryCode), stored };
  }

  async function getStatus(userId: string): Promise<MfaStatus> {
    const factor = await mfaFactors.findTotpFactor(userId);
    const enabled = factor?.confirmedAt != null;
    return {
      totp: { enabled, enabledAt: enabled ? (factor?.confirmedAt ?? null) : null },
      recoveryCodesLeft: enabled ? await mfaFactors.countUnusedRecoveryCodes(userId) : 0,
      passkeys: await deps.countPasskeys(userId),
      requiredBy: await accountRows.findAccountsRequiringMfa(userId),
    };
  }

  /**
   * Starts (or restarts) enrollment: a fresh 20-byte secret from the CSPRNG, stored encrypted
   * (AES-256-GCM) and inactive until confirmed; replaces an unconfirmed one. The caller has
   * passed the recent-authentication check.
   */
  async function startTotpSetup(auth: AuthContext): Promise<{ secret: string; otpauthUri: string; qrCodeSvg: string }> {
    const secret = generateTotpSecret();
    const saved = await mfaFactors.saveUnconfirmedTotp({
      userId: auth.user.id,
      secretEncrypted: encryptor.encrypt(secret),
      now: clock.now(),
    });
    if (!saved) throw mfaErrors.alreadyEnabled();
    const secretBase32 = toBase32(secret);
    const otpauthUri = buildOtpauthUri({ issuer: config.mfaIssuer, accountName: auth.user.email, secretBase32 });
    const qrCodeSvg = await QRCode.toString(otpauthUri, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
    return { secret: secretBase32, otpauthUri, qrCodeSvg };
  }

  /**
   * Confirms enrollment with a code of the new secret (B9: nothing is active before): MFA on,
   * the code's step claimed (it cannot be replayed at sign-in), ten recovery codes, every other
   * session ended (C7), the current one on a new token that counts as MFA-verified.
   */
  async function confirmTotp(
    auth: AuthContext,
    code: string,
    meta: RequestMeta,
  ): Promise<{ recoveryCodes: string[]; token: string }> {
    const userId = auth.user.id;
    // Reserved before the check, like the code step of sign-in (parallel guesses are counted).
    const reservation = await verifier.reserveCodeAttempt(userId, meta);
    const factor = await mfaFactors.findTotpFactor(userId);
    const secret = factor && factor.confirmedAt === null ? verifier.secretOf(factor) : undefined;
    const step = secret ? verifyTotp(secret, code.replace(/\s/g, ""), clock.now()) : null;
    if (!factor || factor.confirmedAt !== null) {
      await throttle.releaseAttempt(reservation); // no code was checked
      throw factor ? mfaErrors.alreadyEnabled() : mfaErrors.noSetupInProgress();
    }
    if (step === null) {
      await verifier.failReserved(userId, secret ? "invalid_code" : "undecryptable", reservation, meta);
      throw mfaErrors.invalidCode();
    }
    const codes = await newRecoveryCodes().catch(async (error: unknown) => {
      await throttle.releaseAttempt(reservation); // undecided (the hasher was busy)
      throw error;
    });
    const at = clock.now();
    const token = await db.transaction().execute(async (trx) => {
      if (!(await mfaFactors.in(trx).claimTotpStep(factor, step, { confirm: { at } }))) throw mfaErrors.invalidCode();
      await mfaFactors.in(trx).replaceRecoveryCodes(userId, codes.stored, at);
      const mail = mfaEnabledMail(auth.user, { at, ip: meta.ip, publicUrl: config.publicUrl });
      return settleMfaChange(trx, auth, { type: "mfa_enabled", mfaVerified: true, mail }, meta);
    });
    await throttle.recordSuccess([codeThrottleKey(userId)]); // the only key: cleared outright
    deliverMail();
    return { recoveryCodes: codes.shown, token };
  }

  /** Verifies a code for an MFA-gated action, or throws 400 `invalid_code`. */
  async function requireCode(userId: string, code: string, meta: RequestMeta): Promise<SecondFactorResult & { ok: true }> {
    const result = await verifier.verifySecondFactor(userId, code, meta);
    if (!result.ok) throw mfaErrors.invalidCode();
    return result;
  }

  /**
   * 409 unless the authenticator app is on and turning it off leaves the person compliant: no
   * account they belong to requires MFA, or they keep a passkey (checked before any code is spent).
   */
  async function assertCanDisable(auth: AuthContext): Promise<void> {
    if (!auth.totpEnabled) throw mfaErrors.notEnabled();
    if ((await deps.countPasskeys(auth.user.id)) > 0) return;
    const requiring = await accountRows.findAccountsRequiringMfa(auth.user.id);
    if (requiring.length > 0) throw mfaErrors.requiredByAccount(requiring);
  }

  /**
   * Turns MFA off with a current code: refused while an account requires MFA (before the code is
   * spent); the factor and recovery codes are deleted (a later enrollment gets a new secret, so
   * codes of the old one never work again, B9); other sessions end; the current one rotates.
   */
  async function disableTotp(auth: AuthContext, code: string, meta: RequestMeta, options: CodeOptions = {}): Promise<string> {
    const userId = auth.user.id;
    await assertCanDisable(auth);
    if (!options.codeChecked) await requireCode(userId, code, meta);
    const at = clock.now();
    // With a passkey left the person still has MFA, and this session keeps what it proved.
    const passkeysLeft = await deps.countPasskeys(userId);
    const keepsMfa = passkeysLeft > 0 && auth.session.mfaVerified === 1;
    const token = await db.transaction().execute(async (trx) => {
      await mfaFactors.in(trx).deleteTotpFactor(userId);
      await mfaFactors.in(trx).deleteRecoveryCodes(userId);
      const lockdownUrl = await deps.lockdownLinks.issueLockdownUrl(trx, { userId, sentTo: auth.user.email });
      const mail = mfaDisabledMail(auth.user, { at, ip: meta.ip, publicUrl: config.publicUrl, lockdownUrl }, passkeysLeft);
      return settleMfaChange(trx, auth, { type: "mfa_disabled", mfaVerified: keepsMfa, mail }, meta);
    });
    deliverMail();
    return token;
  }

  /** New recovery codes for a current code; the old ones stop working at once. */
  async function regenerateRecoveryCodes(
    auth: AuthContext,
    code: string,
    meta: RequestMeta,
    options: CodeOptions = {},
  ): Promise<string[]> {
    const userId = auth.user.id;
    if (!auth.totpEnabled) throw mfaErrors.notEnabled();
    if (!options.codeChecked) await requireCode(userId, code, meta);
    const codes = await newRecoveryCodes();
    const at = clock.now();
    await db.transaction().execute(async (trx) => {
      await mfaFactors.in(trx).replaceRecoveryCodes(userId, codes.stored, at);
      await events.recordEvent(trx, { type: "mfa_recovery_codes_regenerated", userId, meta });
      await mailer.enqueueMail(trx, recoveryCodesRegeneratedMail(auth.user, { at, ip: meta.ip, publicUrl: config.publicUrl }));
    });
    deliverMail();
    return codes.shown;
  }

  /**
   * The code step of sign-in: a valid code turns the pending session into a full one, on a new
   * token (C2), marked as authenticated now and MFA-verified. 401 `invalid_code` otherwise.
   */
  async function completeMfaLogin(
    auth: AuthContext,
    code: string,
    meta: RequestMeta,
  ): Promise<{ token: string; method: "totp" | "recovery"; recoveryCodesLeft?: number }> {
    const result = await verifier.verifySecondFactor(auth.user.id, code, meta);
    if (!result.ok) throw mfaErrors.invalidLoginCode();
    // The success itself is on record already (`authn_mfa_success`, with the method).
    const token = await sessions.rotateSession(db, auth.session.id, {
      authenticated: true,
      mfaVerified: true,
      mfaPending: false,
      methods: ["otp", "mfa"],
    });
    return {
      token,
      method: result.method,
      ...(result.recoveryCodesLeft !== undefined ? { recoveryCodesLeft: result.recoveryCodesLeft } : {}),
    };
  }

  return {
    verifySecondFactor: verifier.verifySecondFactor,
    getStatus,
    startTotpSetup,
    confirmTotp,
    assertCanDisable,
    disableTotp,
    regenerateRecoveryCodes,
    completeMfaLogin,
  };
}

export type MfaService = ReturnType<typeof createMfaService>;

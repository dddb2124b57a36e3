/*
 * Signing in and proving who one is: the password sign-in, second factors, passkeys, the recent
 * sign-in that sensitive changes ask for, and the password reset. They are built before the
 * account services, which use the recent sign-in and the reset link; what sign-in needs of those
 * (the disabled flag, presenting a person, the sign-in hook) comes in as {@link SignInHooks}.
 */
import { createAuthService, type AuthServiceDeps } from "../features/auth/auth.service.js";
import { createPasswordResetService } from "../features/auth/password-reset.service.js";
import { createRecentAuth } from "../features/auth/recent-auth.js";
import { createSignInGate } from "../features/auth/sign-in-gate.js";
import { createPasskeySignInService } from "../features/passkeys/passkey-sign-in.service.js";
import { createPasskeysService } from "../features/passkeys/passkeys.service.js";
import { relyingPartyOf } from "../features/passkeys/relying-party.js";
import { createMfaService } from "../features/security/mfa/mfa.service.js";
import type { SignInFacts } from "../features/sessions/session-insights.service.js";
import type { Basics, Engines } from "./engines.js";
import type { Repositories } from "./repositories.js";

/**
 * What sign-in uses of services made after it. They are only called once requests come in, by
 * which time every service exists, so the composition root passes closures over them.
 */
export interface SignInHooks extends Pick<AuthServiceDeps, "presentMe" | "isDisabled"> {
  /** Every completed sign-in (password, passkey, or the code step). */
  onSignIn: (facts: SignInFacts) => Promise<void>;
}

export function createSignInServices(deps: Basics & { tables: Repositories; engines: Engines }, hooks: SignInHooks) {
  const { config, db, clock, logger } = deps;
  const { users, tokens, mfaFactors, accountRows, passkeyRows, webauthnChallenges, securityStates } = deps.tables;
  const { encryptor, events, sessions, hasher, mailer, throttle, credentials, lockdownLinks } = deps.engines;

  // One rule for every way of signing in (password, passkey).
  const signInGate = createSignInGate({
    isDisabled: hooks.isDisabled,
    isPasswordResetRequired: (userId) => securityStates.isPasswordResetRequired(userId),
  });
  const mfa = createMfaService({
    db,
    mfaFactors,
    users,
    accountRows,
    clock,
    config,
    encryptor,
    hasher,
    events,
    mailer,
    sessions,
    logger,
    throttle,
    countPasskeys: (userId) => passkeyRows.countForUser(userId),
    lockdownLinks,
  });
  const passkeyDeps = {
    db,
    passkeys: passkeyRows,
    challenges: webauthnChallenges,
    users,
    mfaFactors,
    accountRows,
    sessions,
    events,
    mailer,
    throttle,
    clock,
    logger,
    rp: relyingPartyOf(config.publicUrl, config.mfaIssuer),
    publicUrl: config.publicUrl,
  };
  const passkeys = createPasskeysService(passkeyDeps);
  const passkeySignIn = createPasskeySignInService({
    ...passkeyDeps,
    presentMe: hooks.presentMe,
    onSignIn: hooks.onSignIn,
    refusalOf: signInGate,
  });
  const recentAuth = createRecentAuth({
    db,
    clock,
    events,
    credentials,
    secondFactor: mfa,
    passkeys: passkeySignIn,
    reauthMaxAgeMinutes: config.reauthMaxAgeMinutes,
  });
  const auth = createAuthService({
    db,
    users,
    mfaFactors,
    passkeyRows,
    sessions,
    events,
    hasher,
    credentials,
    recentAuth,
    logger,
    presentMe: hooks.presentMe,
    isDisabled: hooks.isDisabled,
    refusalOf: signInGate,
    onSignIn: hooks.onSignIn,
  });
  const passwordReset = createPasswordResetService({
    db,
    users,
    tokens,
    clock,
    sessions,
    events,
    hasher,
    mailer,
    throttle,
    credentials,
    logger,
    publicUrl: config.publicUrl,
    passwordMinLength: config.passwordMinLength,
    securityStates,
  });

  return { mfa, passkeys, passkeySignIn, recentAuth, auth, passwordReset };
}

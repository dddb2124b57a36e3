import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { ResolvedConfig } from "./config.js";
import type { Dialect } from "./db/database.js";
import type { Database } from "./db/schema.js";
import type { PrepareHotQuery } from "./db/hot-query.js";
import type { EventRecorder } from "./features/activity/event-recorder.js";
import type { SessionStore } from "./features/sessions/session-store.js";
import { createMfaService } from "./features/security/mfa/mfa.service.js";
import { createPasswordService } from "./features/security/password/password.service.js";
import { createDeletionService } from "./features/security/deletion/deletion.service.js";
import { createAccountsService } from "./features/accounts/accounts.service.js";
import { createProfileService } from "./features/profile/profile.service.js";
import { createGeoLocator } from "./features/sessions/geoip.js";
import { createSessionInsightsService, type SignInFacts } from "./features/sessions/session-insights.service.js";
import { createSessionsService } from "./features/sessions/sessions.service.js";
import { createHistoryPruner } from "./features/sessions/history-pruner.js";
import { createActivityService } from "./features/activity/activity.service.js";
import { createJobLock } from "./lib/job-lock.js";
import { createThrottle } from "./features/throttle/throttle.js";
import { createAuthService } from "./features/auth/auth.service.js";
import { createCredentialCheck } from "./features/auth/credential-check.js";
import { createPasswordResetService } from "./features/auth/password-reset.service.js";
import { createRecentAuth } from "./http/require-recent-auth.js";
import type { Clock } from "./lib/clock.js";
import type { Encryptor } from "./lib/crypto/encrypt.js";
import type { PasswordHasher } from "./lib/crypto/password-hasher.js";
import type { Mailer } from "./lib/mail/mailer.js";

/** What app.ts builds before any feature: config, database and the cross-cutting engines. */
export interface CoreServices {
  config: Readonly<ResolvedConfig>;
  db: Kysely<Database>;
  dialect: Dialect;
  /** Reads on every request's path, prepared once (db/hot-query.ts). */
  prepareHot: PrepareHotQuery;
  clock: Clock;
  encryptor: Encryptor;
  sessions: SessionStore;
  events: EventRecorder;
  hasher: PasswordHasher;
  mailer: Mailer;
  logger: FastifyBaseLogger;
}

/**
 * Wires repos → services of every feature, each receiving the others it needs as injected deps
 * (style guide §2). Routes get the result; nothing else constructs services.
 */
export function createFeatureServices(core: CoreServices) {
  const throttle = createThrottle({ db: core.db, clock: core.clock });
  const credentials = createCredentialCheck({ ...core, throttle });
  const mfa = createMfaService({ ...core, throttle });
  const recentAuth = createRecentAuth({
    ...core,
    credentials,
    reauthMaxAgeMinutes: core.config.reauthMaxAgeMinutes,
    secondFactor: () => mfa,
  });
  const profile = createProfileService({ ...core, credentials });
  const password = createPasswordService({ ...core, credentials, recentAuth });
  const deletion = createDeletionService({ ...core, recentAuth });
  const geo = createGeoLocator(core.config.geoipDb, core.logger);
  const sessionInsights = createSessionInsightsService({ ...core, geo, publicUrl: core.config.publicUrl });
  const sessionsService = createSessionsService({ ...core, recentAuth, geo });
  const activity = createActivityService({ ...core, geo });
  const historyPruner = createHistoryPruner({
    ...core,
    jobLock: createJobLock(core),
    historyDays: core.config.sessionHistoryDays,
    idleMs: core.sessions.idleMs,
  });
  const auth = createAuthService({
    ...core,
    credentials,
    recentAuth,
    presentMe: (me) => profile.presentMe(me),
    onSignIn: (facts) => signedIn(facts),
  });
  const passwordReset = createPasswordResetService({
    ...core,
    throttle,
    credentials,
    publicUrl: core.config.publicUrl,
    passwordMinLength: core.config.passwordMinLength,
  });
  const accounts = createAccountsService(core);
  /** Every completed sign-in (password, or the code step): the new-device check, then the last active account. */
  async function signedIn(facts: SignInFacts): Promise<void> {
    await sessionInsights.onSignIn(facts);
    await accounts.restoreActiveAccount(facts);
  }
  return {
    ...core,
    throttle,
    credentials,
    recentAuth,
    auth,
    passwordReset,
    mfa,
    password,
    deletion,
    profile,
    geo,
    sessionInsights,
    sessionsService,
    activity,
    historyPruner,
    accounts,
    onSignIn: signedIn,
  };
}

export type Services = ReturnType<typeof createFeatureServices>;

import type { FastifyBaseLogger } from "fastify";
import type { ResolvedConfig } from "./config.js";
import type { Db } from "./db/database.js";
import type { SignInFacts } from "./features/sessions/session-insights.service.js";
import { createSso } from "./features/sso/sso.service.js";
import { systemClock, type Clock } from "./lib/clock.js";
import type { PasswordHasherOptions } from "./lib/crypto/password-hasher.js";
import { createAccountServices } from "./services/account.js";
import { createEngines } from "./services/engines.js";
import { createLifecycle } from "./services/lifecycle.js";
import { createRepositories } from "./services/repositories.js";
import { createSignInServices } from "./services/sign-in.js";

export type { BackgroundJobs } from "./services/lifecycle.js";

/** What the whole product is built from: configuration, an open database, a clock and a logger. */
export interface ServicesDeps {
  config: Readonly<ResolvedConfig>;
  database: Db;
  logger: FastifyBaseLogger;
  clock?: Clock;
  hasher?: PasswordHasherOptions;
}

/**
 * The composition root: builds every engine and feature service once, each receiving the few
 * collaborators it uses as explicit dependencies. The HTTP app (app.ts), the CLI and the tests all
 * start from here; nothing else constructs services, and no feature imports this module.
 *
 * The building happens in layers, one module each under services/: the repositories, the shared
 * engines, sign-in, the account services, then single sign-on and the node's lifecycle here.
 */
export function createServices(deps: ServicesDeps) {
  const { config, database, logger } = deps;
  const { db, dialect } = database;
  const clock = deps.clock ?? systemClock;
  const basics = { config, db, clock, logger };

  const tables = createRepositories(database);
  const engines = createEngines({ ...basics, tables, hasher: deps.hasher });
  // Sign-in reaches `people`, `profile` and `signedIn`, all made further down: through closures,
  // which only run once requests come in.
  const signIn = createSignInServices(
    { ...basics, tables, engines },
    {
      isDisabled: (userId, executor) => account.people.isDisabled(userId, executor),
      presentMe: (me) => account.profile.presentMe(me),
      onSignIn: (facts) => signedIn(facts),
    },
  );
  const account = createAccountServices({
    ...basics,
    tables,
    engines,
    recentAuth: signIn.recentAuth,
    issueResetLink: signIn.passwordReset.issueResetLink,
  });

  const sso = createSso({
    db,
    countLogoutDelivery: (result) => engines.backchannelDeliveries.inc({ result }),
    publicUrl: config.publicUrl,
    secure: config.secure,
    sessionMaxHours: config.sessionMaxHours,
    idleMs: engines.sessions.idleMs,
    clock,
    logger,
    encryptor: engines.encryptor,
    events: engines.events,
    users: tables.users,
    mfaFactors: tables.mfaFactors,
    sessionRows: tables.sessionRows,
    myAccountPages: tables.myAccountPages,
    oidcClients: tables.oidcClients,
    oidcState: tables.oidcState,
    oidcTokens: tables.oidcTokens,
    links: tables.ssoLinks,
    validateSessionToken: engines.sessions.validateSessionToken,
    verifySecondFactor: signIn.mfa.verifySecondFactor,
    rotateSession: engines.sessions.rotateSession,
    endSession: engines.sessions.endSession,
  });

  /** Every completed sign-in (password, or the code step): the new-device check, then the last active account. */
  async function signedIn(facts: SignInFacts): Promise<void> {
    await account.sessionInsights.onSignIn(facts);
    await account.accounts.restoreActiveAccount(facts);
  }

  const lifecycle = createLifecycle({ ...basics, tables, engines, sso });

  return {
    config,
    db,
    dialect,
    users: tables.users,
    sessionRows: tables.sessionRows,
    accountRows: tables.accountRows,
    mfaFactors: tables.mfaFactors,
    passkeyRows: tables.passkeyRows,
    webauthnChallenges: tables.webauthnChallenges,
    tokens: tables.tokens,
    securityEvents: tables.securityEvents,
    mailOutbox: tables.mailOutbox,
    throttles: tables.throttles,
    clock,
    logger,
    encryptor: engines.encryptor,
    events: engines.events,
    sessions: engines.sessions,
    hasher: engines.hasher,
    mailer: engines.mailer,
    geo: engines.geo,
    throttle: engines.throttle,
    credentials: engines.credentials,
    recentAuth: signIn.recentAuth,
    mfa: signIn.mfa,
    passkeys: signIn.passkeys,
    passkeySignIn: signIn.passkeySignIn,
    profile: account.profile,
    password: account.password,
    deletion: account.deletion,
    sessionInsights: account.sessionInsights,
    sessionsService: account.sessionsService,
    activity: account.activity,
    historyPruner: lifecycle.historyPruner,
    auth: signIn.auth,
    passwordReset: signIn.passwordReset,
    accounts: account.accounts,
    people: account.people,
    securityStates: tables.securityStates,
    connectedApps: tables.connectedApps,
    passkeySource: tables.passkeySource,
    lockdown: account.lockdown,
    dataExport: account.dataExport,
    checkup: account.checkup,
    oidcClients: tables.oidcClients,
    oidcState: tables.oidcState,
    ssoLinks: tables.ssoLinks,
    sso,
    startSso: lifecycle.startSso,
    checkReadyToServe: lifecycle.checkReadyToServe,
    metrics: engines.metrics,
    backchannelDeliveries: engines.backchannelDeliveries,
    startJobs: lifecycle.startJobs,
    close: lifecycle.close,
    onSignIn: signedIn,
  };
}

export type Services = ReturnType<typeof createServices>;

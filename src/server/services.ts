import path from "node:path";
import type { FastifyBaseLogger } from "fastify";
import { ConfigError, type ResolvedConfig } from "./config.js";
import type { Db } from "./db/database.js";
import { createEventRecorder } from "./features/activity/event-recorder.js";
import { createSecurityMetrics } from "./features/activity/security-metrics.js";
import { createLabeledCounter, type SampledMetric } from "./http/metrics.js";
import { createActivityService } from "./features/activity/activity.service.js";
import { createAccountsService } from "./features/accounts/accounts.service.js";
import { createAuthService } from "./features/auth/auth.service.js";
import { createCredentialCheck } from "./features/auth/credential-check.js";
import { createPasswordResetService } from "./features/auth/password-reset.service.js";
import { createRecentAuth } from "./features/auth/recent-auth.js";
import { createProfileService } from "./features/profile/profile.service.js";
import { createDeletionService } from "./features/security/deletion/deletion.service.js";
import { assertTotpKeysConfigured } from "./features/security/mfa/mfa-key-check.js";
import { createMfaService } from "./features/security/mfa/mfa.service.js";
import { createPasswordService } from "./features/security/password/password.service.js";
import { createGeoLocator } from "./features/sessions/geoip.js";
import { createHistoryPruner } from "./features/sessions/history-pruner.js";
import { createSessionInsightsService, type SignInFacts } from "./features/sessions/session-insights.service.js";
import { createSessionStore } from "./features/sessions/session-store.js";
import { createSessionsService } from "./features/sessions/sessions.service.js";
import { createThrottle } from "./features/throttle/throttle.js";
import { createThrottlesRepo } from "./features/throttle/throttles.repo.js";
import { createOneTimeTokensRepo } from "./features/tokens/one-time-tokens.repo.js";
import { createUsersRepo } from "./features/users/users.repo.js";
import { createUserSecurityStatesRepo } from "./features/users/user-security-states.repo.js";
import { connectedAppsSourceOf } from "./features/sso/connected-apps-source.js";
import { createSessionApps } from "./features/sso/session-apps.repo.js";
import { passkeysSourceOf } from "./features/passkeys/passkeys-source.js";
import { createLockdownLinks } from "./features/lockdown/lockdown-links.js";
import { createLockdownService } from "./features/lockdown/lockdown.service.js";
import { createDataExportService } from "./features/data-export/data-export.service.js";
import { createCheckupService } from "./features/checkup/checkup.service.js";
import { createAccountsRepo } from "./features/accounts/accounts.repo.js";
import { createMyAccountPages } from "./features/accounts/my-accounts.repo.js";
import { createSecurityEventsRepo } from "./features/activity/security-events.repo.js";
import { createMailOutboxRepo } from "./features/mail/mail-outbox.repo.js";
import { createMfaRepo } from "./features/security/mfa/mfa.repo.js";
import { createKnownDevicesRepo } from "./features/sessions/known-devices.repo.js";
import { createSessionsRepo } from "./features/sessions/sessions.repo.js";
import { systemClock, type Clock } from "./lib/clock.js";
import { createEncryptor } from "./lib/crypto/encrypt.js";
import { createPasswordHasher, type PasswordHasherOptions } from "./lib/crypto/password-hasher.js";
import { createJobLock } from "./features/jobs/job-lock.js";
import { createMailer } from "./features/mail/mailer.js";
import { createKeyChecksRepo } from "./features/keys/key-checks.repo.js";
import { verifyEncryptionKeys } from "./features/keys/key-check.js";
import { createPeopleRepo } from "./features/people/people.repo.js";
import { createPeopleService } from "./features/people/people.service.js";
import { createPasskeysRepo } from "./features/passkeys/passkeys.repo.js";
import { createPasskeysService } from "./features/passkeys/passkeys.service.js";
import { createSignInGate } from "./features/auth/sign-in-gate.js";
import { createPasskeySignInService } from "./features/passkeys/passkey-sign-in.service.js";
import { relyingPartyOf } from "./features/passkeys/relying-party.js";
import { createWebauthnChallengesRepo } from "./features/passkeys/webauthn-challenges.repo.js";
import { createOidcClientsRepo } from "./features/sso/oidc-clients.repo.js";
import { createOidcStateRepo } from "./features/sso/oidc-state.repo.js";
import { createOidcTokenLookup } from "./features/sso/oidc-token-lookup.repo.js";
import { createSsoLinksRepo } from "./features/sso/sso-links.repo.js";
import { createSso } from "./features/sso/sso.service.js";

/** What the whole product is built from: configuration, an open database, a clock and a logger. */
export interface ServicesDeps {
  config: Readonly<ResolvedConfig>;
  database: Db;
  logger: FastifyBaseLogger;
  clock?: Clock;
  hasher?: PasswordHasherOptions;
}

/** Background work of a running node, stopped with {@link BackgroundJobs.stop}. */
export interface BackgroundJobs {
  stop(): void;
}

/**
 * The composition root: builds every engine and feature service once, each receiving the few
 * collaborators it uses as explicit dependencies. The HTTP app (app.ts), the CLI and the tests all
 * start from here; nothing else constructs services, and no feature imports this module.
 */
export function createServices(deps: ServicesDeps) {
  const { config, database, logger } = deps;
  const { db, dialect, prepareHot } = database;
  const clock = deps.clock ?? systemClock;

  const encryptor = createEncryptor(config.encryptionKeys);

  // Every table's statements, each in the repository of the feature that owns the table.
  const users = createUsersRepo(db);
  const sessionRows = createSessionsRepo(db, prepareHot);
  const accountRows = createAccountsRepo(db, dialect);
  const myAccountPages = createMyAccountPages(prepareHot);
  const mfaFactors = createMfaRepo(db);
  const tokens = createOneTimeTokensRepo(db);
  const securityEvents = createSecurityEventsRepo(db);
  const mailOutbox = createMailOutboxRepo(db);
  const throttles = createThrottlesRepo(db);
  const devices = createKnownDevicesRepo(db);
  const peopleRows = createPeopleRepo(db);
  const keyChecks = createKeyChecksRepo(db);
  const passkeyRows = createPasskeysRepo(db);
  const webauthnChallenges = createWebauthnChallengesRepo(db);
  const securityStates = createUserSecurityStatesRepo(db);
  // One rule for every way of signing in (password, passkey); `people` is made further down.
  const signInGate = createSignInGate({
    isDisabled: (userId) => people.isDisabled(userId),
    isPasswordResetRequired: (userId) => securityStates.isPasswordResetRequired(userId),
  });

  // What single sign-on and passkeys hold about a person, for lockdown, checkup and export.
  const passkeySource = passkeysSourceOf(passkeyRows);
  const lockdownLinks = createLockdownLinks({ tokens, clock, publicUrl: config.publicUrl });
  const oidcClients = createOidcClientsRepo(db);
  const oidcState = createOidcStateRepo(db);
  const ssoLinks = createSsoLinksRepo(db);
  const connectedApps = connectedAppsSourceOf(ssoLinks, oidcState);
  const sessionApps = createSessionApps(prepareHot);

  const securityMetrics = createSecurityMetrics();
  const events = createEventRecorder({ events: securityEvents, clock, logger, observe: securityMetrics.observe });
  // Back-channel logout deliveries by result; the single sign-on feature counts them here.
  const backchannelDeliveries = createLabeledCounter(
    "backchannel_logout_deliveries_total",
    "Back-channel logout tokens sent to connected apps, by result (delivered, failed)",
    [{ result: "delivered" }, { result: "failed" }],
  );
  const sessions = createSessionStore({
    sessions: sessionRows,
    users,
    clock,
    idleMinutes: config.sessionIdleMinutes,
    maxHours: config.sessionMaxHours,
    logger,
  });
  const hasher = createPasswordHasher(deps.hasher);
  const mailer = createMailer({
    outbox: mailOutbox,
    clock,
    encryptor,
    from: config.mailFrom,
    smtpUrl: config.smtpUrl,
    outboxDir: path.join(config.dataDir, "outbox"),
    logger,
  });
  const geo = createGeoLocator(config.geoipDb, logger);

  const throttle = createThrottle({ throttles, clock });
  const credentials = createCredentialCheck({ db, clock, hasher, throttle, events });
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
    presentMe: (me) => profile.presentMe(me),
    onSignIn: (facts) => signedIn(facts),
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
  const profile = createProfileService({
    db,
    users,
    tokens,
    mfaFactors,
    passkeyRows,
    clock,
    config,
    events,
    mailer,
    logger,
    credentials,
    lockdownLinks,
    securityStates,
    throttle,
  });
  const password = createPasswordService({
    db,
    users,
    tokens,
    clock,
    config,
    hasher,
    events,
    mailer,
    sessions,
    logger,
    credentials,
    recentAuth,
    lockdownLinks,
    securityStates,
  });
  const deletion = createDeletionService({
    db,
    users,
    accountRows,
    securityEvents,
    mailOutbox,
    throttles,
    clock,
    config,
    events,
    mailer,
    sessions,
    logger,
    recentAuth,
  });
  const sessionInsights = createSessionInsightsService({
    db,
    devices,
    users,
    clock,
    mailer,
    geo,
    logger,
    publicUrl: config.publicUrl,
    lockdownLinks,
  });
  const sessionsService = createSessionsService({
    db,
    clock,
    sessions,
    sessionRows,
    events,
    recentAuth,
    geo,
    appsOfSessions: (userId, ids) => sessionApps.appsOfSessions(userId, ids),
  });
  const activity = createActivityService({ events: securityEvents, clock, geo });
  const historyPruner = createHistoryPruner({
    sessions,
    sessionRows,
    tokens,
    throttles,
    mailOutbox,
    securityEvents,
    clock,
    logger,
    jobLock: createJobLock({ db, clock }),
    historyDays: config.sessionHistoryDays,
    eventsRetentionDays: config.eventsRetentionDays,
    idleMs: sessions.idleMs,
  });
  const people = createPeopleService({
    db,
    people: peopleRows,
    users,
    accountRows,
    mfaFactors,
    sessionRows,
    throttles,
    sessions,
    events,
    mailer,
    clock,
    logger,
    config,
    // Passkeys are counted and removed with the rest on an operator's MFA reset.
    secondFactors: [
      {
        kind: "passkeys",
        countFor: (userId) => passkeyRows.countForUser(userId),
        removeAllFor: (executor, userId) => passkeyRows.in(executor).deleteAllForUser(userId),
      },
    ],
    deleteUser: deletion.deleteUserAsOperator,
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
    presentMe: profile.presentMe,
    isDisabled: people.isDisabled,
    refusalOf: signInGate,
    onSignIn: (facts) => signedIn(facts),
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
  const lockdown = createLockdownService({
    db,
    users,
    tokens,
    sessionRows,
    securityStates,
    clock,
    events,
    mailer,
    logger,
    sessions,
    connectedApps,
    issueResetLink: passwordReset.issueResetLink,
    publicUrl: config.publicUrl,
  });
  const dataExport = createDataExportService({
    db,
    users,
    securityStates,
    people: peopleRows,
    accountRows,
    mfaFactors,
    sessionRows,
    sessions,
    securityEvents,
    devices,
    tokens,
    mailOutbox,
    passkeys: passkeySource,
    connectedApps,
    recentAuth,
    events,
    clock,
  });
  const checkup = createCheckupService({
    mfaFactors,
    accountRows,
    sessionRows,
    sessions,
    securityStates,
    geo,
    passkeys: passkeySource,
    connectedApps,
    clock,
    // The bundled breached-password list carries no breach dates: the check stays out until one does.
    lastBreachReportedAt: () => null,
  });
  const accounts = createAccountsService({
    db,
    accountRows,
    myAccountPages,
    users,
    securityStates,
    tokens,
    sessionRows,
    clock,
    events,
    mailer,
    hasher,
    sessions,
    config,
  });

  const sso = createSso({
    db,
    countLogoutDelivery: (result) => backchannelDeliveries.inc({ result }),
    publicUrl: config.publicUrl,
    secure: config.secure,
    sessionMaxHours: config.sessionMaxHours,
    idleMs: sessions.idleMs,
    clock,
    logger,
    encryptor,
    events,
    users,
    mfaFactors,
    sessionRows,
    myAccountPages,
    oidcClients,
    oidcState,
    oidcTokens: createOidcTokenLookup(prepareHot),
    links: ssoLinks,
    validateSessionToken: sessions.validateSessionToken,
    verifySecondFactor: mfa.verifySecondFactor,
    rotateSession: sessions.rotateSession,
    endSession: sessions.endSession,
  });

  /** Every completed sign-in (password, or the code step): the new-device check, then the last active account. */
  async function signedIn(facts: SignInFacts): Promise<void> {
    await sessionInsights.onSignIn(facts);
    await accounts.restoreActiveAccount(facts);
  }

  /**
   * Checks that must pass before a node serves (and before the CLI writes): the encryption keys
   * are the ones the database knew and can read what it holds (a node never runs with keys that
   * would lock every MFA person out).
   */
  /** Refuses keys that cannot read what the database holds (never new keys over old data). */
  async function checkReadyToServe(): Promise<void> {
    if (geo.problem) throw new ConfigError([`GEOIP_DB: ${geo.problem}`]);
    await verifyEncryptionKeys(
      { keyChecks, clock, sampleCiphertexts: (version, limit) => mfaFactors.findSecretsUnderKeyVersion(version, limit) },
      config.encryptionKeys,
    );
    await assertTotpKeysConfigured(
      mfaFactors,
      config.encryptionKeys.map((k) => k.version),
    );
  }

  /**
   * Single sign-on's keys and provider (read from the database, made at first start). The key
   * check comes first, so keys that cannot read the data are refused by name (ENCRYPTION_KEYS)
   * before the provider would fail on its own encrypted keys.
   */
  async function startSso(): Promise<void> {
    await checkReadyToServe();
    await sso.start();
  }

  /** Mail delivery, the settling of session cuts and the hourly pruning, on this node. */
  function startJobs(): BackgroundJobs {
    const timers: NodeJS.Timeout[] = [];
    const safely = (name: string, work: () => Promise<unknown>) => () => {
      work().catch((error: unknown) => logger.warn({ job: name, err: (error as Error).message }, "background job failed"));
    };
    const deliver = safely("mail", () => mailer.deliverDueMail());
    deliver();
    timers.push(setInterval(deliver, 5_000));
    // Sessions a cut left to mark ended: this node marks its own at once; this catches a crash or another node's.
    const settle = safely("session-cuts", () => sessions.settlePendingCuts());
    timers.push(setInterval(settle, 10_000));
    // Back-channel logout: sessions that ended (any way) with apps in them, and the deliveries due.
    const logouts = safely("sso-logout", () => sso.logout.tick());
    timers.push(setInterval(logouts, 2_000));
    // A signing key rotated by the CLI or another node: picked up here.
    const keys = safely("sso-keys", () => sso.reloadKeysIfChanged());
    timers.push(setInterval(keys, 30_000));
    // Session history, used tokens, idle throttles, old mail, expired OpenID state: at start, then hourly (one node at a time).
    const prune = safely("history-prune", async () => {
      await historyPruner.runJob();
      await sso.prune();
    });
    prune();
    timers.push(setInterval(prune, 3_600_000));
    for (const t of timers) t.unref();
    return { stop: () => timers.forEach((t) => clearInterval(t)) };
  }

  /**
   * Lets work in progress finish (a mail being delivered is marked sent, cut sessions are marked
   * ended), then stops the hasher's worker threads.
   */
  async function close(): Promise<void> {
    await mailer.close();
    await sessions.whenSettled();
    await sso.logout.idle();
    await hasher.close();
  }

  /** Every feature's own figures for /metrics. */
  const metrics: SampledMetric[] = [
    ...sessions.metrics,
    ...mailer.metrics,
    ...securityMetrics.metrics,
    backchannelDeliveries.metric,
  ];

  return {
    config,
    db,
    dialect,
    users,
    sessionRows,
    accountRows,
    mfaFactors,
    passkeyRows,
    webauthnChallenges,
    tokens,
    securityEvents,
    mailOutbox,
    throttles,
    clock,
    logger,
    encryptor,
    events,
    sessions,
    hasher,
    mailer,
    geo,
    throttle,
    credentials,
    recentAuth,
    mfa,
    passkeys,
    passkeySignIn,
    profile,
    password,
    deletion,
    sessionInsights,
    sessionsService,
    activity,
    historyPruner,
    auth,
    passwordReset,
    accounts,
    people,
    securityStates,
    connectedApps,
    passkeySource,
    lockdown,
    dataExport,
    checkup,
    oidcClients,
    oidcState,
    ssoLinks,
    sso,
    startSso,
    checkReadyToServe,
    metrics,
    backchannelDeliveries,
    startJobs,
    close,
    onSignIn: signedIn,
  };
}

export type Services = ReturnType<typeof createServices>;

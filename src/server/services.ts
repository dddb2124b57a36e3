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
  });
  const recentAuth = createRecentAuth({
    db,
    clock,
    events,
    credentials,
    secondFactor: mfa,
    reauthMaxAgeMinutes: config.reauthMaxAgeMinutes,
  });
  const profile = createProfileService({ db, users, tokens, mfaFactors, clock, config, events, mailer, logger, credentials });
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
  });
  const sessionsService = createSessionsService({ db, clock, sessions, sessionRows, events, recentAuth, geo });
  const activity = createActivityService({ events: securityEvents, clock, geo });
  const historyPruner = createHistoryPruner({
    sessions,
    sessionRows,
    tokens,
    throttles,
    mailOutbox,
    clock,
    logger,
    jobLock: createJobLock({ db, clock }),
    historyDays: config.sessionHistoryDays,
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
    // Passkeys join here (count and removal on an operator's MFA reset) once that feature exists.
    secondFactors: [],
    deleteUser: deletion.deleteUserAsOperator,
  });
  const auth = createAuthService({
    db,
    users,
    mfaFactors,
    sessions,
    events,
    hasher,
    credentials,
    recentAuth,
    logger,
    presentMe: profile.presentMe,
    isDisabled: people.isDisabled,
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
  });
  const accounts = createAccountsService({
    db,
    accountRows,
    myAccountPages,
    users,
    tokens,
    sessionRows,
    clock,
    events,
    mailer,
    hasher,
    sessions,
    config,
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
    // Session history, used tokens, idle throttles, old mail: at start, then hourly (one node at a time).
    const prune = safely("history-prune", () => historyPruner.runJob());
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
    checkReadyToServe,
    metrics,
    backchannelDeliveries,
    startJobs,
    close,
    onSignIn: signedIn,
  };
}

export type Services = ReturnType<typeof createServices>;

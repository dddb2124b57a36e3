/*
 * The shared engines: what most feature services are built on (the security event recorder, the
 * session store, the password hasher, the mailer, the throttle, the credential check, …), built
 * once here so that every feature gets the same instance, and the figures they count for /metrics.
 * They need the repositories only, never a feature service.
 */
import path from "node:path";
import type { FastifyBaseLogger } from "fastify";
import type { ResolvedConfig } from "../config.js";
import type { Db } from "../db/database.js";
import { createEventRecorder } from "../features/activity/event-recorder.js";
import { createSecurityMetrics } from "../features/activity/security-metrics.js";
import { createCredentialCheck } from "../features/auth/credential-check.js";
import { createLockdownLinks } from "../features/lockdown/lockdown-links.js";
import { createMailer } from "../features/mail/mailer.js";
import { createGeoLocator } from "../features/sessions/geoip.js";
import { createSessionStore } from "../features/sessions/session-store.js";
import { createThrottle } from "../features/throttle/throttle.js";
import { createLabeledCounter, type SampledMetric } from "../http/metrics.js";
import type { Clock } from "../lib/clock.js";
import { createEncryptor } from "../lib/crypto/encrypt.js";
import { createPasswordHasher, type PasswordHasherOptions } from "../lib/crypto/password-hasher.js";
import type { Repositories } from "./repositories.js";

/** What every service is built with: the configuration, the database, the clock and the logger. */
export interface Basics {
  config: Readonly<ResolvedConfig>;
  db: Db["db"];
  clock: Clock;
  logger: FastifyBaseLogger;
}

export function createEngines(deps: Basics & { tables: Repositories; hasher: PasswordHasherOptions | undefined }) {
  const { config, db, clock, logger, tables } = deps;

  const encryptor = createEncryptor(config.encryptionKeys);
  const lockdownLinks = createLockdownLinks({ tokens: tables.tokens, clock, publicUrl: config.publicUrl });

  const securityMetrics = createSecurityMetrics();
  const events = createEventRecorder({ events: tables.securityEvents, clock, logger, observe: securityMetrics.observe });
  // Back-channel logout deliveries by result; the single sign-on feature counts them here.
  const backchannelDeliveries = createLabeledCounter(
    "backchannel_logout_deliveries_total",
    "Back-channel logout tokens sent to connected apps, by result (delivered, failed)",
    [{ result: "delivered" }, { result: "failed" }],
  );
  const sessions = createSessionStore({
    sessions: tables.sessionRows,
    users: tables.users,
    clock,
    idleMinutes: config.sessionIdleMinutes,
    maxHours: config.sessionMaxHours,
    logger,
  });
  const hasher = createPasswordHasher(deps.hasher);
  const mailer = createMailer({
    outbox: tables.mailOutbox,
    clock,
    encryptor,
    from: config.mailFrom,
    smtpUrl: config.smtpUrl,
    outboxDir: path.join(config.dataDir, "outbox"),
    logger,
  });
  const geo = createGeoLocator(config.geoipDb, logger);

  const throttle = createThrottle({ throttles: tables.throttles, clock });
  const credentials = createCredentialCheck({ db, clock, hasher, throttle, events });

  /** Every feature's own figures for /metrics. */
  const metrics: SampledMetric[] = [
    ...sessions.metrics,
    ...mailer.metrics,
    ...securityMetrics.metrics,
    backchannelDeliveries.metric,
  ];

  return {
    encryptor,
    lockdownLinks,
    events,
    backchannelDeliveries,
    sessions,
    hasher,
    mailer,
    geo,
    throttle,
    credentials,
    metrics,
  };
}

export type Engines = ReturnType<typeof createEngines>;

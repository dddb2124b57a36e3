/*
 * A node's life around the services: the checks before it serves, the start of single sign-on,
 * the background jobs (mail delivery, settling session cuts, back-channel logout, key reloads,
 * the hourly pruning) and the orderly close. Nothing here runs when the services are built: the
 * HTTP server, the CLI and the tests each start only what they need.
 */
import { ConfigError } from "../config.js";
import { createJobLock } from "../features/jobs/job-lock.js";
import { verifyEncryptionKeys } from "../features/keys/key-check.js";
import { assertTotpKeysConfigured } from "../features/security/mfa/mfa-key-check.js";
import { createHistoryPruner } from "../features/sessions/history-pruner.js";
import type { Sso } from "../features/sso/sso.service.js";
import type { Basics, Engines } from "./engines.js";
import type { Repositories } from "./repositories.js";

/** Background work of a running node, stopped with {@link BackgroundJobs.stop}. */
export interface BackgroundJobs {
  stop(): void;
}

export function createLifecycle(deps: Basics & { tables: Repositories; engines: Engines; sso: Sso }) {
  const { config, db, clock, logger, sso } = deps;
  const { sessionRows, tokens, throttles, mailOutbox, securityEvents, keyChecks, mfaFactors } = deps.tables;
  const { sessions, mailer, hasher, geo } = deps.engines;

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

  /**
   * Checks that must pass before a node serves (and before the CLI writes): the encryption keys
   * are the ones the database knew and can read what it holds (a node never runs with keys that
   * would lock every MFA person out; never new keys over old data).
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

  return { historyPruner, checkReadyToServe, startSso, startJobs, close };
}

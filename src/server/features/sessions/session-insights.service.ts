import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { Clock } from "../../lib/clock.js";
import { formatMailTime } from "../../lib/mail/format-mail-time.js";
import type { Mailer } from "../mail/mailer.js";
import type { GeoLocator } from "./geoip.js";
import type { UsersRepo } from "../users/users.repo.js";
import type { KnownDevicesRepo } from "./known-devices.repo.js";
import type { LockdownLinkIssuer } from "../lockdown/lockdown-links.js";
import { buildNewDeviceMail } from "./new-device-mail.js";
import { parseUserAgent } from "./user-agent.js";

/** A device not seen on the account for this long counts as new again. */
export const NEW_DEVICE_AFTER_MS = 90 * 24 * 3_600_000;

/** A sign-in that just completed (password, and code where MFA is on). */
export interface SignInFacts {
  userId: string;
  /** Public session id (never the token). */
  sessionId: string;
  ip: string | null;
  userAgent: string | null;
}

export interface SessionInsightsDeps {
  db: Kysely<Database>;
  devices: KnownDevicesRepo;
  users: UsersRepo;
  clock: Clock;
  mailer: Mailer;
  geo: GeoLocator;
  logger: FastifyBaseLogger;
  publicUrl: string;
  /** The alert's "This wasn't me" link. */
  lockdownLinks: LockdownLinkIssuer;
}

/**
 * What the Sessions feature learns from each completed sign-in: it remembers the device
 * (browser + OS) and mails an alert when that device has not been used on the account for 90
 * days (ASVS 6.3.5). The very first device of a person raises no alert (nothing to compare with).
 */
export function createSessionInsightsService(deps: SessionInsightsDeps) {
  const { db, devices, users, clock, mailer, geo, logger } = deps;

  /** Returns true when an alert was queued. */
  async function rememberDevice(facts: SignInFacts): Promise<boolean> {
    const parsed = parseUserAgent(facts.userAgent);
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const lastSeen = await devices.in(trx).findLastSeen(facts.userId, parsed.deviceKey);
      const isNew = lastSeen === undefined || now - lastSeen > NEW_DEVICE_AFTER_MS;
      const isFirstEver = lastSeen === undefined && !(await devices.in(trx).hasAnyDevice(facts.userId));
      await devices.in(trx).touchDevice(facts.userId, parsed.deviceKey, now);
      if (!isNew || isFirstEver) return false;
      const recipient = await users.in(trx).findMailRecipient(facts.userId);
      if (!recipient) return false;
      const device = [parsed.browser ?? "An unknown browser", parsed.os].filter(Boolean).join(" on ");
      const mail = buildNewDeviceMail({
        firstName: recipient.firstName,
        device,
        ip: facts.ip,
        location: geo.lookup(facts.ip),
        time: formatMailTime(now, recipient),
        sessionsUrl: `${deps.publicUrl}/profile/sessions`,
        lockdownUrl: await deps.lockdownLinks.issueLockdownUrl(trx, { userId: facts.userId, sentTo: recipient.email }),
      });
      await mailer.enqueueMail(trx, { to: recipient.email, ...mail });
      return true;
    });
  }

  /**
   * Call after every completed sign-in, once the session is committed. Never throws: a failure
   * here is logged and the sign-in goes on (an alert is worth less than the person's access).
   */
  async function onSignIn(facts: SignInFacts): Promise<void> {
    try {
      const queued = await rememberDevice(facts);
      if (queued) {
        mailer.deliverDueMail().catch((error: unknown) => {
          logger.warn({ err: (error as Error).message }, "new-device alert delivery deferred");
        });
      }
    } catch (error) {
      logger.error(
        { err: (error as Error).message, userId: facts.userId, sessionId: facts.sessionId },
        "new-device check failed",
      );
    }
  }

  return { onSignIn };
}

export type SessionInsightsService = ReturnType<typeof createSessionInsightsService>;

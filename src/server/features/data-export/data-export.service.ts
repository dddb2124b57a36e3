import type { Kysely } from "kysely";
import type { ExportDocument, ExportSession } from "../../../contracts/data-export.js";
import type { Database, UsersTable } from "../../db/schema.js";
import { toIso, toIsoOrNull, type Clock } from "../../lib/clock.js";
import type { AuthContext, RequestMeta } from "../../request-context.js";
import type { AccountsRepo } from "../accounts/accounts.repo.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import type { SecurityEventsRepo } from "../activity/security-events.repo.js";
import type { RecentAuth } from "../auth/recent-auth.js";
import type { MailOutboxRepo } from "../mail/mail-outbox.repo.js";
import type { MfaRepo } from "../security/mfa/mfa.repo.js";
import type { KnownDevicesRepo } from "../sessions/known-devices.repo.js";
import type { SessionStore } from "../sessions/session-store.js";
import { isLive, type SessionsRepo } from "../sessions/sessions.repo.js";
import type { PeopleRepo } from "../people/people.repo.js";
import type { OneTimeTokensRepo } from "../tokens/one-time-tokens.repo.js";
import type { ConnectedAppsSource, PasskeysSource } from "../users/person-sources.js";
import type { UserSecurityStatesRepo } from "../users/user-security-states.repo.js";
import type { UsersRepo } from "../users/users.repo.js";
import { commonErrors } from "../../errors.js";
import {
  parseJsonObject,
  presentExportApp,
  presentExportAppSignIn,
  presentExportPasskey,
  presentExportSession,
} from "./data-export.presenters.js";

export interface DataExportDeps {
  db: Kysely<Database>;
  users: Pick<UsersRepo, "findById">;
  securityStates: UserSecurityStatesRepo;
  /** The operator's side: whether the person is disabled, and since when. */
  people: Pick<PeopleRepo, "findDisabledAt">;
  accountRows: AccountsRepo;
  mfaFactors: MfaRepo;
  sessionRows: SessionsRepo;
  sessions: Pick<SessionStore, "settleSessionsOf" | "idleMs">;
  securityEvents: SecurityEventsRepo;
  devices: KnownDevicesRepo;
  tokens: OneTimeTokensRepo;
  mailOutbox: MailOutboxRepo;
  passkeys: PasskeysSource;
  connectedApps: ConnectedAppsSource;
  recentAuth: RecentAuth;
  events: EventRecorder;
  clock: Clock;
}

/**
 * "Your data" (GDPR art. 15 and 20): the whole record of the person as one JSON document. A
 * sensitive call (it hands over the person's history in one go): the session must have signed in
 * recently, else 401 `reauthentication_required` and the web app asks for the password first.
 */
export function createDataExportService(deps: DataExportDeps) {
  const { clock } = deps;

  async function presentAccounts(userId: string): Promise<ExportDocument["accounts"]> {
    const memberships = await deps.accountRows.listAccountsOfUser(userId);
    const groups = await deps.accountRows.listGroupMembershipsOfUser(userId);
    const remembered = await deps.accountRows.findRememberedChoice(userId);
    return memberships.map((m) => ({
      id: m.id,
      name: m.name,
      type: m.type,
      mfaPolicy: m.mfaPolicy,
      joinedAt: toIso(m.joinedAt),
      groups: groups
        .filter((g) => g.accountId === m.id)
        .map((g) => ({ id: g.id, name: g.name, admin: g.isAdmin === 1, addedAt: toIso(g.addedAt) })),
      lastActiveChosenAt: remembered?.accountId === m.id ? toIso(remembered.chosenAt) : null,
    }));
  }

  async function presentSessions(user: UsersTable): Promise<ExportDocument["sessions"]> {
    // A cut still being marked in the background is marked first, so no cut session reads as active.
    await deps.sessions.settleSessionsOf(user.id);
    const rows = await deps.sessionRows.listAllOfUser(user.id);
    const live = { now: clock.now(), idleMs: deps.sessions.idleMs };
    const active: ExportSession[] = [];
    const ended: ExportSession[] = [];
    for (const row of rows) {
      const isActive = row.mfaPending === 0 && row.generation === user.sessionGeneration && isLive(row, live);
      (isActive ? active : ended).push(presentExportSession(row, isActive));
    }
    return { active, ended };
  }

  /**
   * The document of a person: the signed-in one (an AuthContext fits), or one read by id on the
   * operator's side, where a disabled person (who cannot sign in) shows `disabledAt`.
   */
  async function buildExport(person: { user: UsersTable; pendingEmail: string | null }): Promise<ExportDocument> {
    const { user } = person;
    const state = await deps.securityStates.findState(user.id);
    const totp = await deps.mfaFactors.findTotpFactor(user.id);
    const codes = totp?.confirmedAt != null ? await deps.mfaFactors.listRecoveryCodes(user.id) : [];
    return {
      format: "profile-center-export/1",
      exportedAt: toIso(clock.now()),
      timezone: user.timezone,
      profile: {
        id: user.id,
        email: user.email,
        firstName: user.firstName,
        lastName: user.lastName,
        phone: user.phone,
        jobTitle: user.jobTitle,
        createdAt: toIso(user.createdAt),
        updatedAt: toIso(user.updatedAt),
        passwordSet: user.passwordHash !== null,
        passwordChangedAt: toIsoOrNull(user.passwordChangedAt),
        pendingEmail: person.pendingEmail,
        emailVerifiedAt: toIsoOrNull(state?.emailVerifiedAt),
        previousEmail: state?.previousEmail ?? null,
        emailChangedAt: toIsoOrNull(state?.emailChangedAt),
        passwordResetRequiredAt: toIsoOrNull(state?.passwordResetRequiredAt),
        disabledAt: toIsoOrNull(await deps.people.findDisabledAt(user.id)),
      },
      settings: { locale: user.locale, timezone: user.timezone, dateFormat: user.dateFormat, timeFormat: user.timeFormat },
      consents: { newsOptIn: user.newsOptIn === 1, newsOptInChangedAt: toIsoOrNull(user.newsOptInChangedAt) },
      accounts: await presentAccounts(user.id),
      twoFactor: {
        totp: totp ? { enrolledAt: toIso(totp.createdAt), confirmedAt: toIsoOrNull(totp.confirmedAt) } : null,
        recoveryCodes: codes.map((c) => ({ createdAt: toIso(c.createdAt), usedAt: toIsoOrNull(c.usedAt) })),
      },
      passkeys: (await deps.passkeys.listForUser(user.id)).map(presentExportPasskey),
      connectedApps: (await deps.connectedApps.listForUser(user.id)).map(presentExportApp),
      sessions: await presentSessions(user),
      appSignIns: (await deps.connectedApps.listSignInsForUser(user.id)).map(presentExportAppSignIn),
      devices: (await deps.devices.listOfUser(user.id)).map((d) => ({
        device: d.deviceKey.split("|").filter(Boolean).join(" on "),
        firstSeenAt: toIso(d.firstSeenAt),
        lastSeenAt: toIso(d.lastSeenAt),
      })),
      securityEvents: (await deps.securityEvents.listAllOfUser(user.id)).map((e) => ({
        id: e.id,
        type: e.type,
        at: toIso(e.at),
        result: e.result,
        ip: e.ip,
        userAgent: e.userAgent,
        sessionId: e.sessionRef,
        accountId: e.accountId,
        details: parseJsonObject(e.details) ?? {},
      })),
      mailedLinks: (await deps.tokens.listAboutPerson(user.id, user.email)).map((l) => ({
        purpose: l.purpose,
        sentTo: l.email,
        createdAt: toIso(l.createdAt),
        expiresAt: toIso(l.expiresAt),
        usedAt: toIsoOrNull(l.usedAt),
        details: parseJsonObject(l.payload),
      })),
      mail: (await deps.mailOutbox.listToAddresses(state?.previousEmail ? [user.email, state.previousEmail] : [user.email])).map(
        (m) => ({
          to: m.toAddress,
          subject: m.subject,
          status: m.status,
          createdAt: toIso(m.createdAt),
          sentAt: toIsoOrNull(m.sentAt),
        }),
      ),
    };
  }

  /** `GET /me/export`: checks the re-authentication age, records the download, returns the document. */
  async function exportMyData(auth: AuthContext, meta: RequestMeta): Promise<ExportDocument> {
    await deps.recentAuth.requireRecentAuth(auth, {}, meta);
    await deps.events.recordEvent(deps.db, { type: "data_exported", userId: auth.user.id, meta });
    return buildExport(auth);
  }

  /**
   * The operator's export of a person by id (`export-user` in the CLI): for a request made
   * outside the app, e.g. by a person who is disabled and so cannot sign in. Recorded in the
   * person's security events like their own download.
   */
  async function exportPersonData(userId: string): Promise<ExportDocument> {
    const user = await deps.users.findById(userId);
    if (!user) throw commonErrors.notFound("user");
    const now = clock.now();
    const pending = (await deps.tokens.listAboutPerson(user.id, user.email)).find(
      (l) => l.purpose === "email_change" && l.usedAt === null && l.expiresAt > now,
    );
    await deps.events.recordEvent(deps.db, { type: "data_exported", userId, details: { by: "operator" } });
    return buildExport({ user, pendingEmail: pending?.email ?? null });
  }

  return { exportMyData, exportPersonData, buildExport };
}

export type DataExportService = ReturnType<typeof createDataExportService>;

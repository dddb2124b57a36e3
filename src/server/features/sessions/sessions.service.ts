import type { Kysely } from "kysely";
import type { SessionDto } from "../../../contracts/sessions.js";
import type { Database } from "../../db/schema.js";
import { assertThat } from "../../errors.js";
import type { ReauthCredentials, RecentAuth } from "../auth/recent-auth.js";
import type { Clock } from "../../lib/clock.js";
import { decodeTimeCursor, pageByTime, type TimeKeyset } from "../../lib/keyset-cursor.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import type { AuthContext, RequestMeta } from "../../request-context.js";
import type { GeoLocator } from "./geoip.js";
import type { SessionStore } from "./session-store.js";
import { sessionsErrors } from "./sessions.errors.js";
import { presentSession } from "./sessions.presenters.js";
import { isLive, type SessionsRepo } from "./sessions.repo.js";
import type { SessionCard } from "./session-row.js";

export interface SessionsServiceDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** The session engine (ending sessions, settling cuts). */
  sessions: SessionStore;
  /** The `sessions` table's statements (the pages, the person's stale sessions). */
  sessionRows: SessionsRepo;
  events: EventRecorder;
  recentAuth: RecentAuth;
  geo: GeoLocator;
  /** The apps signed in to through each of these sessions (single sign-on); none when absent. */
  appsOfSessions?: (userId: string, sessionIds: readonly string[]) => Promise<ReadonlyMap<string, SessionDto["apps"]>>;
}

/** Query of `GET /me/sessions`. */
export interface ListSessionsQuery {
  status: "active" | "ended";
  limit: number;
  cursor?: string | undefined;
}

/** Stale sessions of one person marked `expired` per listing (more are left to the pruning job). */
const LAZY_EXPIRY_BATCH = 100;

/** Where the person is signed in, and ending those sessions (ASVS 7.5.2, checklist C9/C10). */
export function createSessionsService(deps: SessionsServiceDeps) {
  const { db, clock, sessions, sessionRows, events, recentAuth, geo } = deps;
  const liveness = () => ({ now: clock.now(), idleMs: sessions.idleMs });

  function decodeCursor(cursor: string | undefined): TimeKeyset | undefined {
    if (cursor === undefined) return undefined;
    const position = decodeTimeCursor(cursor);
    assertThat(position, sessionsErrors.invalidCursor);
    return position;
  }

  /**
   * One page of the person's active or ended sessions, newest first (keyset pagination; no
   * OFFSET, no count). Sessions that went stale are marked `expired`, so they show in the history
   * and never as active: before a history page is read, and when an active page finds one (then
   * read again). An active page of live sessions, the usual case, is one query.
   */
  async function listSessions(
    auth: AuthContext,
    query: ListSessionsQuery,
  ): Promise<{ items: SessionDto[]; nextCursor: string | null }> {
    const after = decodeCursor(query.cursor);
    await settleCutOf(auth);
    const live = liveness();
    const isActive = query.status === "active";
    const kind = isActive ? "live" : "ended";
    if (!isActive) await sessionRows.endStaleSessionsOf(auth.user.id, live, LAZY_EXPIRY_BATCH);
    let rows = await sessionRows.readPage(kind, auth.user.id, after, query.limit + 1);
    if (isActive && rows.some((row) => !isLive(row, live))) {
      await sessionRows.endStaleSessionsOf(auth.user.id, live, LAZY_EXPIRY_BATCH);
      rows = await sessionRows.readPage(kind, auth.user.id, after, query.limit + 1);
    }
    const positionOf = (row: SessionCard): TimeKeyset => ({ at: isActive ? row.createdAt : (row.endedAt ?? 0), id: row.id });
    const { page, nextCursor } = pageByTime(rows, query.limit, positionOf);
    // Stale rows beyond this call's marking batch are skipped here; the pruning job ends them.
    const shown = isActive ? page.filter((row) => isLive(row, live)) : page;
    const apps = deps.appsOfSessions
      ? await deps.appsOfSessions(
          auth.user.id,
          shown.map((row) => row.id),
        )
      : new Map<string, SessionDto["apps"]>();
    return { items: shown.map((row) => presentSession(row, auth.session.id, geo, apps.get(row.id))), nextCursor };
  }

  /** Marks the sessions of the person's pending cut as ended, before their sessions are read (session-cuts.ts). */
  async function settleCutOf(auth: AuthContext): Promise<void> {
    if (auth.user.unsettledCutAt !== null) await sessions.settleSessionsOf(auth.user.id);
  }

  /** The session making the request (the Sessions page's "this device" card). */
  async function presentCurrentSession(auth: AuthContext): Promise<SessionDto> {
    const apps = deps.appsOfSessions ? await deps.appsOfSessions(auth.user.id, [auth.session.id]) : undefined;
    return presentSession(auth.session, auth.session.id, geo, apps?.get(auth.session.id));
  }

  /**
   * Ends one of the person's live sessions (after a recent authentication, C9). Another person's
   * id, or one that never existed, answers 404 and changes nothing (C10); that attempt is recorded
   * as `authz_fail` (I2). Returns whether the caller ended its own, current session.
   */
  async function revokeSession(
    auth: AuthContext,
    sessionId: string,
    body: ReauthCredentials,
    meta: RequestMeta,
  ): Promise<{ endedCurrent: boolean }> {
    await settleCutOf(auth);
    const target = await sessionRows.findOwned(auth.user.id, sessionId);
    if (!target) {
      await events.recordEvent(db, {
        type: "authz_fail",
        userId: auth.user.id,
        result: "failure",
        details: { action: "revoke_session", reason: "not_found" },
        meta,
      });
      throw sessionsErrors.sessionNotFound();
    }
    assertThat(isLive(target, liveness()), sessionsErrors.sessionNotFound);
    await recentAuth.requireRecentAuth(auth, body, meta);
    const endedCurrent = target.id === auth.session.id;
    await db.transaction().execute(async (trx) => {
      const ended = await sessions.endSession(trx, target.id, "revoked");
      assertThat(ended, sessionsErrors.sessionNotFound);
      await events.recordEvent(trx, {
        type: "session_revoked",
        userId: auth.user.id,
        details: { sessionId: target.id, current: endedCurrent },
        meta,
      });
    });
    return { endedCurrent };
  }

  /**
   * Ends every other session of the person, the current one stays ("sign out everywhere else"):
   * one cut, whatever their number; their rows are marked ended in the background.
   */
  async function revokeOtherSessions(
    auth: AuthContext,
    body: ReauthCredentials,
    meta: RequestMeta,
  ): Promise<{ revoked: number }> {
    await recentAuth.requireRecentAuth(auth, body, meta);
    return db.transaction().execute(async (trx) => {
      const revoked = await sessions.endUserSessions(trx, auth.user.id, "signed_out_elsewhere", auth.session.id);
      await events.recordEvent(trx, { type: "sessions_revoked_others", userId: auth.user.id, details: { revoked }, meta });
      return { revoked };
    });
  }

  return { listSessions, presentCurrentSession, revokeSession, revokeOtherSessions };
}

export type SessionsService = ReturnType<typeof createSessionsService>;

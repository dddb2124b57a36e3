import type { EndReason } from "../../../contracts/sessions.js";
import type { PrepareHotQuery } from "../../db/hot-query.js";
import { LIMIT_PARAMETER } from "../../db/limit.js";
import { defineRepo } from "../../db/repo.js";
import type { Executor, SessionsTable } from "../../db/schema.js";
import type { TimeKeyset } from "../../lib/keyset-cursor.js";
import {
  decodeSessionCard,
  decodeSessionCheck,
  SESSION_CARD_COLUMNS,
  SESSION_CHECK_COLUMNS,
  SESSION_ROW_FIELDS,
  type SessionCard,
  type SessionCheckRow,
  type SessionRow,
} from "./session-row.js";
import { isLive, sessionExpiryStatements, type Liveness } from "./session-expiry.repo.js";

/*
 * The `sessions` table: every statement that reads or writes sessions, for the session engine,
 * the Sessions pages, the pruning job and the accounts feature's active account. Two kinds:
 * - Kysely statements (`createSessionsRepo(db).in(trx)` inside a transaction);
 * - prepared statements on every request's path (the session check, the Sessions pages): SQL
 *   written once, prepared once, rows decoded by position in session-row.ts
 *   (docs/design/hot-statements.md).
 * The statements that end sessions in bulk (expiry, a cut's settling, pruning) are written in
 * session-expiry.repo.ts and joined to these into one repository below.
 */

function sessionsStatements(ex: Executor) {
  return {
    async insert(session: SessionsTable): Promise<void> {
      await ex.insertInto("sessions").values(session).execute();
    },

    /** Moves last-seen forward (a live session only). */
    async touch(sessionId: string, now: number): Promise<void> {
      await ex
        .updateTable("sessions")
        .set({ lastSeenAt: now })
        .where("id", "=", sessionId)
        .where("endedAt", "is", null)
        .execute();
    },

    /** Gives a live session a new token hash and records what the authentication step proved. */
    async rotate(
      sessionId: string,
      tokenHash: string,
      changes: Pick<Partial<SessionsTable>, "lastSeenAt" | "authenticatedAt" | "mfaVerified" | "mfaPending" | "expiresAt">,
    ): Promise<void> {
      await ex
        .updateTable("sessions")
        .set({ tokenHash, ...changes })
        .where("id", "=", sessionId)
        .where("endedAt", "is", null)
        .execute();
    },

    /** Adds sign-in methods to a live session's record (`merge` keeps each once, in order). */
    async addAuthMethods(
      sessionId: string,
      methods: readonly string[],
      merge: (recorded: string, methods: readonly string[]) => string,
    ): Promise<void> {
      const row = await ex.selectFrom("sessions").select("authMethods").where("id", "=", sessionId).executeTakeFirst();
      if (!row) return;
      await ex
        .updateTable("sessions")
        .set({ authMethods: merge(row.authMethods, methods) })
        .where("id", "=", sessionId)
        .where("endedAt", "is", null)
        .execute();
    },

    /** Ends one live session with its reason; false for one already ended. */
    async end(sessionId: string, reason: EndReason, at: number): Promise<boolean> {
      const result = await ex
        .updateTable("sessions")
        .set({ endedAt: at, endReason: reason })
        .where("id", "=", sessionId)
        .where("endedAt", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** The session with this id, if it belongs to the person (any state). */
    findOwned(userId: string, sessionId: string): Promise<SessionRow | undefined> {
      return ex
        .selectFrom("sessions")
        .select(SESSION_ROW_FIELDS)
        .where("id", "=", sessionId)
        .where("userId", "=", userId)
        .executeTakeFirst();
    },

    /** How many of the person's sessions are not marked ended, but the one kept. */
    async countLive(userId: string, exceptSessionId?: string): Promise<number> {
      let query = ex
        .selectFrom("sessions")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("userId", "=", userId)
        .where("endedAt", "is", null);
      if (exceptSessionId) query = query.where("id", "!=", exceptSessionId);
      return Number((await query.executeTakeFirstOrThrow()).n);
    },

    /**
     * How many of the person's sessions can be used now: signed in (code step done), not ended,
     * not left behind by a cut (older generation), not expired or idle.
     */
    async countActive(userId: string, generation: number, live: Liveness): Promise<number> {
      const row = await ex
        .selectFrom("sessions")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("userId", "=", userId)
        .where("endedAt", "is", null)
        .where("mfaPending", "=", 0)
        .where("generation", "=", generation)
        .where("expiresAt", ">", live.now)
        .where("lastSeenAt", ">", live.now - live.idleMs)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** When the person last finished signing in, as far as the session history goes back; null when never. */
    async findLastSignInAt(userId: string): Promise<number | null> {
      const row = await ex
        .selectFrom("sessions")
        .select((eb) => eb.fn.max<number | string | null>("createdAt").as("at"))
        .where("userId", "=", userId)
        .where("mfaPending", "=", 0)
        .executeTakeFirst();
      return row?.at === null || row?.at === undefined ? null : Number(row.at);
    },

    /** Moves the kept session of a cut to the person's new generation. */
    async setGeneration(sessionId: string, userId: string, generation: number): Promise<void> {
      await ex.updateTable("sessions").set({ generation }).where("id", "=", sessionId).where("userId", "=", userId).execute();
    },

    /** Sets the session's active account and clears its notice. */
    async setActiveAccount(sessionId: string, accountId: string): Promise<void> {
      await ex
        .updateTable("sessions")
        .set({ activeAccountId: accountId, notice: null })
        .where("id", "=", sessionId)
        .where("endedAt", "is", null)
        .execute();
    },

    /**
     * Moves the session out of its active account, only if it is still in that account
     * (compare-and-set: concurrent requests record one event). True when this call moved it.
     */
    async leaveActiveAccount(sessionId: string, accountId: string, notice: string): Promise<boolean> {
      const result = await ex
        .updateTable("sessions")
        .set({ activeAccountId: null, notice })
        .where("id", "=", sessionId)
        .where("activeAccountId", "=", accountId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Moves every live session of the person out of the account (after removal), leaving a notice; returns how many. */
    async leaveAccountInAllSessions(userId: string, accountId: string, notice: string): Promise<number> {
      const result = await ex
        .updateTable("sessions")
        .set({ activeAccountId: null, notice })
        .where("userId", "=", userId)
        .where("activeAccountId", "=", accountId)
        .where("endedAt", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Whether the session used a second factor (what an account that requires MFA asks of it). */
    async isMfaVerified(sessionId: string): Promise<boolean> {
      const row = await ex.selectFrom("sessions").select("mfaVerified").where("id", "=", sessionId).executeTakeFirst();
      return row?.mfaVerified === 1;
    },

    /** Every session row of the person, live and ended, newest first (the data export; never the token hash). */
    listAllOfUser(userId: string) {
      return ex
        .selectFrom("sessions")
        .select([
          "id",
          "createdAt",
          "lastSeenAt",
          "expiresAt",
          "authenticatedAt",
          "mfaPending",
          "mfaVerified",
          "activeAccountId",
          "ip",
          "userAgent",
          "endedAt",
          "endReason",
          "generation",
          "authMethods",
        ])
        .where("userId", "=", userId)
        .orderBy("createdAt", "desc")
        .orderBy("id", "desc")
        .execute();
    },

    /** Clears the session's notice once the person has seen it (dismissed). */
    async clearNotice(sessionId: string): Promise<void> {
      await ex.updateTable("sessions").set({ notice: null }).where("id", "=", sessionId).execute();
    },
  };
}

/** Fully signed-in sessions only: one still waiting for its code step is not shown. */
const LIVE = `where user_id = ? and ended_at is null and mfa_pending = 0`;
const ENDED = `where user_id = ? and ended_at is not null and mfa_pending = 0`;

/**
 * The prepared statements (exported for the index tests, which read their plans); parameters in
 * `?` order. The pages read a person's live sessions (newest first, `sessions_user_live_idx`) or
 * history (most recently ended first, `sessions_user_ended_idx`) in index order, keyset on
 * (time, id): no OFFSET, no sort. Live rows are not filtered on expiry or idleness here: a range
 * on `expires_at` could tempt PostgreSQL into a sequential scan when a person has a long history;
 * the caller checks each row with {@link isLive}.
 */
export const SESSION_SQL = {
  /**
   * The session check, on every request: the session by its token hash, its person, whether MFA is
   * on, the active account's policy and a pending email change. Parameters: now, token hash.
   */
  check: `select ${SESSION_CHECK_COLUMNS}
from sessions s
join users u on u.id = s.user_id
where s.token_hash = ?`,
  /** userId, limit */
  livePage: `select ${SESSION_CARD_COLUMNS} from sessions ${LIVE} order by created_at desc, id desc limit ${LIMIT_PARAMETER}`,
  /** userId, after.at, after.id, limit */
  livePageAfter: `select ${SESSION_CARD_COLUMNS} from sessions ${LIVE} and (created_at, id) < (?, ?) order by created_at desc, id desc limit ${LIMIT_PARAMETER}`,
  /** userId, limit */
  endedPage: `select ${SESSION_CARD_COLUMNS} from sessions ${ENDED} order by ended_at desc, id desc limit ${LIMIT_PARAMETER}`,
  /** userId, after.at, after.id, limit */
  endedPageAfter: `select ${SESSION_CARD_COLUMNS} from sessions ${ENDED} and (ended_at, id) < (?, ?) order by ended_at desc, id desc limit ${LIMIT_PARAMETER}`,
} as const;

/** Every statement on the table: this file's and the expiry ones, the same on the repository and in `in(trx)`. */
const statements = (ex: Executor) => ({ ...sessionsStatements(ex), ...sessionExpiryStatements(ex) });

export type SessionPageKind = "live" | "ended";

/** The `sessions` repository: Kysely statements, and the prepared ones of every request's path. */
export function createSessionsRepo(db: Executor, prepareHot: PrepareHotQuery) {
  const check = prepareHot("session_check_v3", SESSION_SQL.check, decodeSessionCheck);
  const livePage = prepareHot("sessions_live_page_v2", SESSION_SQL.livePage, decodeSessionCard);
  const livePageAfter = prepareHot("sessions_live_page_after_v2", SESSION_SQL.livePageAfter, decodeSessionCard);
  const endedPage = prepareHot("sessions_ended_page_v2", SESSION_SQL.endedPage, decodeSessionCard);
  const endedPageAfter = prepareHot("sessions_ended_page_after_v2", SESSION_SQL.endedPageAfter, decodeSessionCard);

  return {
    ...defineRepo(statements)(db),

    /** The session check's row for a token hash (the session in any state), or undefined. */
    async findForCheck(tokenHash: string, now: number): Promise<SessionCheckRow | undefined> {
      const [row] = await check([now, tokenHash]);
      return row;
    },

    /** Up to `limit` session cards of the kind, strictly after the keyset position when given. */
    readPage(kind: SessionPageKind, userId: string, after: TimeKeyset | undefined, limit: number): Promise<SessionCard[]> {
      if (kind === "live") return after ? livePageAfter([userId, after.at, after.id, limit]) : livePage([userId, limit]);
      return after ? endedPageAfter([userId, after.at, after.id, limit]) : endedPage([userId, limit]);
    },
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
export type { SessionCard, SessionRow };
export { isLive, type Liveness };
export { SETTLE_BATCH, type LiveSessionKey } from "./session-expiry.repo.js";

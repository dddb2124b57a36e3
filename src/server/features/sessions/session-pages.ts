import type { PrepareHotQuery } from "../../db/hot-query.js";
import { LIMIT_PARAMETER } from "../../db/limit.js";
import type { TimeKeyset } from "../../lib/keyset-cursor.js";
import { decodeSessionCard, sessionCardColumns, type SessionCard } from "./session-row.js";

/*
 * The Sessions page's reads: a page of the person's live sessions (newest first, from
 * `sessions_user_live_idx`) or of their history (most recently ended first, from
 * `sessions_user_ended_idx`), each read in index order, keyset on (time, id), no OFFSET, no sort.
 * They run on every visit of the page, so they are hot queries (db/hot-query.ts, issue 8): SQL
 * written once per shape, prepared once. Only what a session card shows: never the token hash.
 *
 * Live rows are not filtered on expiry or idleness here: a range on `expires_at` could tempt
 * PostgreSQL into a sequential scan when a person has a long history. The caller checks each row
 * with `isLive`.
 */

const COLUMNS = sessionCardColumns("sessions");

/** Fully signed-in sessions only: one still waiting for its code step is not shown. */
const LIVE = `where user_id = ? and ended_at is null and mfa_pending = 0`;
const ENDED = `where user_id = ? and ended_at is not null and mfa_pending = 0`;

/** Every page query's SQL (exported for the index tests, which read their plans). Parameters in `?` order. */
export const SESSION_PAGE_SQL = {
  /** userId, limit */
  live: `select ${COLUMNS} from sessions ${LIVE} order by created_at desc, id desc limit ${LIMIT_PARAMETER}`,
  /** userId, after.at, after.id, limit */
  liveAfter: `select ${COLUMNS} from sessions ${LIVE} and (created_at, id) < (?, ?) order by created_at desc, id desc limit ${LIMIT_PARAMETER}`,
  /** userId, limit */
  ended: `select ${COLUMNS} from sessions ${ENDED} order by ended_at desc, id desc limit ${LIMIT_PARAMETER}`,
  /** userId, after.at, after.id, limit */
  endedAfter: `select ${COLUMNS} from sessions ${ENDED} and (ended_at, id) < (?, ?) order by ended_at desc, id desc limit ${LIMIT_PARAMETER}`,
} as const;

export type SessionPageKind = "live" | "ended";

/** Reads pages of a person's live sessions or history. */
export function createSessionPages(prepareHot: PrepareHotQuery) {
  const live = prepareHot("sessions_live_page_v1", SESSION_PAGE_SQL.live, decodeSessionCard);
  const liveAfter = prepareHot("sessions_live_page_after_v1", SESSION_PAGE_SQL.liveAfter, decodeSessionCard);
  const ended = prepareHot("sessions_ended_page_v1", SESSION_PAGE_SQL.ended, decodeSessionCard);
  const endedAfter = prepareHot("sessions_ended_page_after_v1", SESSION_PAGE_SQL.endedAfter, decodeSessionCard);

  /** Up to `limit` rows of the kind, strictly after the keyset position when given. */
  function readPage(kind: SessionPageKind, userId: string, after: TimeKeyset | undefined, limit: number): Promise<SessionCard[]> {
    if (kind === "live") return after ? liveAfter([userId, after.at, after.id, limit]) : live([userId, limit]);
    return after ? endedAfter([userId, after.at, after.id, limit]) : ended([userId, limit]);
  }

  return { readPage };
}

export type SessionPages = ReturnType<typeof createSessionPages>;

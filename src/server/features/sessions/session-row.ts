import { allFieldsOf, fieldReader, selectList } from "../../db/hot-query.js";
import type { SessionsTable } from "../../db/schema.js";

/** A session row as the pages and the engine read it: never the token hash. */
export type SessionRow = Omit<SessionsTable, "tokenHash">;

/** What a session card shows (`presentSession`) and a page needs to order and check a row. */
export type SessionCard = Pick<
  SessionRow,
  "id" | "createdAt" | "lastSeenAt" | "expiresAt" | "endedAt" | "endReason" | "ip" | "userAgent" | "mfaVerified"
>;

/** The fields of a {@link SessionCard}: the Sessions pages read only those (better-sqlite3 pays for every value it hands over). */
const SESSION_CARD_FIELDS = allFieldsOf<SessionCard>()([
  "id",
  "createdAt",
  "lastSeenAt",
  "expiresAt",
  "endedAt",
  "endReason",
  "ip",
  "userAgent",
  "mfaVerified",
]);

/**
 * Every column of a session but `token_hash`, in one order for the Kysely queries (selected by
 * name, so the hash cannot leak by accident) and the hot queries (decoded by position).
 */
export const SESSION_ROW_FIELDS = allFieldsOf<SessionRow>()([
  ...SESSION_CARD_FIELDS,
  "userId",
  "authenticatedAt",
  "mfaPending",
  "activeAccountId",
  "notice",
  "generation",
]);

/** The select list of a hot query for a session card, columns of table alias `alias`. */
export function sessionCardColumns(alias: string): string {
  return selectList(alias, SESSION_CARD_FIELDS);
}

/** A hot query's row selected with {@link sessionCardColumns}. */
export const decodeSessionCard = fieldReader<SessionCard>(SESSION_CARD_FIELDS);

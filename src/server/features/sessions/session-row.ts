import type { RowValues } from "../../db/hot-query.js";
import type { SessionsTable } from "../../db/schema.js";

/** A session row as the pages and the engine read it: never the token hash. */
export type SessionRow = Omit<SessionsTable, "tokenHash">;

/** What a session card shows (`presentSession`) and a page needs to order and check a row. */
export type SessionCard = Pick<
  SessionRow,
  "id" | "createdAt" | "lastSeenAt" | "expiresAt" | "endedAt" | "endReason" | "ip" | "userAgent" | "mfaVerified"
>;

/**
 * Every column of a session but `token_hash`, in one order for the Kysely queries (selected by
 * name, so the hash cannot leak by accident) and the hot queries (decoded by position). The
 * fields of a {@link SessionCard} come first: the Sessions pages read only those (each value
 * read costs ~65 ns in better-sqlite3, a tenth of a 10-row page; issue 8).
 */
export const SESSION_ROW_FIELDS = [
  "id",
  "createdAt",
  "lastSeenAt",
  "expiresAt",
  "endedAt",
  "endReason",
  "ip",
  "userAgent",
  "mfaVerified",
  "userId",
  "authenticatedAt",
  "mfaPending",
  "activeAccountId",
  "notice",
] as const satisfies ReadonlyArray<keyof SessionRow>;

/** How many values {@link decodeSessionRow} reads. */
export const SESSION_ROW_WIDTH = SESSION_ROW_FIELDS.length;
/** How many values {@link decodeSessionCard} reads: the first ones of {@link SESSION_ROW_FIELDS}. */
const SESSION_CARD_WIDTH = 9;

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The select list of a hot query for a whole session row (or only its card), columns of table alias `alias`. */
export function sessionRowColumns(alias: string, part: "row" | "card" = "row"): string {
  const fields = part === "row" ? SESSION_ROW_FIELDS : SESSION_ROW_FIELDS.slice(0, SESSION_CARD_WIDTH);
  return fields.map((field) => `${alias}.${snake(field)} as "${field}"`).join(", ");
}

type SessionCardValues = [
  id: string,
  createdAt: number,
  lastSeenAt: number,
  expiresAt: number,
  endedAt: number | null,
  endReason: string | null,
  ip: string | null,
  userAgent: string | null,
  mfaVerified: number,
];

type SessionRowValues = [
  ...SessionCardValues,
  userId: string,
  authenticatedAt: number,
  mfaPending: number,
  activeAccountId: string | null,
  notice: string | null,
];

/** The first values of a hot query's row selected with `sessionRowColumns(alias, "card")`. */
export function decodeSessionCard(values: RowValues): SessionCard {
  const [id, createdAt, lastSeenAt, expiresAt, endedAt, endReason, ip, userAgent, mfaVerified] = values as SessionCardValues;
  return { id, createdAt, lastSeenAt, expiresAt, endedAt, endReason, ip, userAgent, mfaVerified };
}

/** The first {@link SESSION_ROW_WIDTH} values of a hot query's row (selected with {@link sessionRowColumns}). */
export function decodeSessionRow(values: RowValues): SessionRow {
  const [
    id,
    createdAt,
    lastSeenAt,
    expiresAt,
    endedAt,
    endReason,
    ip,
    userAgent,
    mfaVerified,
    userId,
    authenticatedAt,
    mfaPending,
    activeAccountId,
    notice,
  ] = values as SessionRowValues;
  return {
    id,
    userId,
    createdAt,
    lastSeenAt,
    expiresAt,
    authenticatedAt,
    mfaPending,
    mfaVerified,
    activeAccountId,
    notice,
    ip,
    userAgent,
    endedAt,
    endReason,
  };
}

import type { RowValues } from "../../db/hot-query.js";
import type { SessionsTable } from "../../db/schema.js";

/** A session row as the pages and the engine read it: never the token hash. */
export type SessionRow = Omit<SessionsTable, "tokenHash">;

/**
 * Every column of a session but `token_hash`, in one order for the Kysely queries (selected by
 * name, so the hash cannot leak by accident) and the hot queries (decoded by position).
 */
export const SESSION_ROW_FIELDS = [
  "id",
  "userId",
  "createdAt",
  "lastSeenAt",
  "expiresAt",
  "authenticatedAt",
  "mfaPending",
  "mfaVerified",
  "activeAccountId",
  "notice",
  "ip",
  "userAgent",
  "endedAt",
  "endReason",
] as const;

/** How many values {@link decodeSessionRow} reads. */
export const SESSION_ROW_WIDTH = SESSION_ROW_FIELDS.length;

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The select list of {@link SESSION_ROW_FIELDS} for a hot query, columns of table alias `alias`. */
export function sessionRowColumns(alias: string): string {
  return SESSION_ROW_FIELDS.map((field) => `${alias}.${snake(field)} as "${field}"`).join(", ");
}

type SessionRowValues = [
  id: string,
  userId: string,
  createdAt: number,
  lastSeenAt: number,
  expiresAt: number,
  authenticatedAt: number,
  mfaPending: number,
  mfaVerified: number,
  activeAccountId: string | null,
  notice: string | null,
  ip: string | null,
  userAgent: string | null,
  endedAt: number | null,
  endReason: string | null,
];

/** The first {@link SESSION_ROW_WIDTH} values of a hot query's row (selected with {@link sessionRowColumns}). */
export function decodeSessionRow(values: RowValues): SessionRow {
  const [
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

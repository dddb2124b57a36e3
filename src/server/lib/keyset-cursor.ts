/**
 * Opaque keyset cursors: base64url JSON of the last row's position in an ordered list, for the
 * lists sorted by name (accounts) and those newest first by time (sessions, activity). Nothing
 * secret is in them; a tampered cursor only moves the page (the owner filter is separate), and
 * one that does not parse is refused (400), never a 500.
 */

/** Longest cursor accepted, as the list query schema (`pageQuerySchema`) caps it. */
const MAX_CURSOR_LENGTH = 512;

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** The JSON inside a cursor, or undefined when it is not base64url JSON of a sane length. */
function decodeJson(cursor: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || cursor.length > MAX_CURSOR_LENGTH) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/** Splits `limit + 1` fetched rows into the page and the cursor of the next one (null on the last page). */
function pageBy<T>(rows: T[], limit: number, cursorOf: (row: T) => string): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

/** A position in a list ordered by (sortKey, id), e.g. lower-cased names. */
export interface NameKeyset {
  sortKey: string;
  id: string;
}

/** Encodes the position after which the next page starts. */
export function encodeNameCursor(position: NameKeyset): string {
  return encodeJson({ k: position.sortKey, i: position.id });
}

/** Decodes a cursor made by {@link encodeNameCursor}; undefined when it is not one. */
export function decodeNameCursor(cursor: string): NameKeyset | undefined {
  const value = decodeJson(cursor) as { k?: unknown; i?: unknown } | null | undefined;
  if (typeof value?.k !== "string" || typeof value.i !== "string") return undefined;
  if (value.i.length > 64 || value.k.length > 256) return undefined;
  return { sortKey: value.k, id: value.i };
}

/** {@link pageBy} for rows that carry their own (sortKey, id). */
export function pageByName<T extends NameKeyset>(rows: T[], limit: number): { page: T[]; nextCursor: string | null } {
  return pageBy(rows, limit, (row) => encodeNameCursor({ sortKey: row.sortKey, id: row.id }));
}

/** A position in a list ordered by (at DESC, id DESC). */
export interface TimeKeyset {
  at: number;
  id: string;
}

/** Encodes the position after which the next page starts. */
export function encodeTimeCursor(position: TimeKeyset): string {
  return encodeJson([position.at, position.id]);
}

/** Decodes a cursor made by {@link encodeTimeCursor}; undefined when it is not one. */
export function decodeTimeCursor(cursor: string): TimeKeyset | undefined {
  const value = decodeJson(cursor);
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [at, id] = value as [unknown, unknown];
  if (typeof at !== "number" || !Number.isSafeInteger(at) || at < 0) return undefined;
  if (typeof id !== "string" || id.length === 0 || id.length > 64) return undefined;
  return { at, id };
}

/** {@link pageBy} for rows whose position `positionOf` tells. */
export function pageByTime<T>(
  rows: T[],
  limit: number,
  positionOf: (row: T) => TimeKeyset,
): { page: T[]; nextCursor: string | null } {
  return pageBy(rows, limit, (row) => encodeTimeCursor(positionOf(row)));
}

/**
 * Opaque keyset cursors for lists ordered newest first by (timestamp, id): base64url JSON of
 * the last row's position. Nothing secret is in them; a tampered cursor only moves the page
 * (the owner filter is separate), and one that does not parse is refused (400), never a 500.
 */

/** A position in a list ordered by (at DESC, id DESC). */
export interface TimeKeyset {
  at: number;
  id: string;
}

/** Encodes the position after which the next page starts. */
export function encodeTimeCursor(position: TimeKeyset): string {
  return Buffer.from(JSON.stringify([position.at, position.id]), "utf8").toString("base64url");
}

/** Decodes a cursor made by {@link encodeTimeCursor}; undefined when it is not one. */
export function decodeTimeCursor(cursor: string): TimeKeyset | undefined {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [at, id] = value as [unknown, unknown];
    if (typeof at !== "number" || !Number.isSafeInteger(at) || at < 0) return undefined;
    if (typeof id !== "string" || id.length === 0 || id.length > 64) return undefined;
    return { at, id };
  } catch {
    return undefined;
  }
}

/** Splits `limit + 1` fetched rows into the page and the next cursor (null on the last page). */
export function pageByTime<T>(
  rows: T[],
  limit: number,
  positionOf: (row: T) => TimeKeyset,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last !== undefined ? encodeTimeCursor(positionOf(last)) : null };
}

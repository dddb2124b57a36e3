/**
 * Opaque keyset cursors for lists sorted by (name key, id): base64url JSON of the last row's
 * position. They hold nothing secret; a tampered cursor only moves the page, never widens the
 * query (the user filter is separate), and one that does not parse is refused.
 */

/** A position in a (sortKey, id) ordered list. */
export interface KeysetPosition {
  sortKey: string;
  id: string;
}

/** Encodes the position after which the next page starts. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ k: position.sortKey, i: position.id }), "utf8").toString("base64url");
}

/** Decodes a cursor; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): KeysetPosition | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { k?: unknown; i?: unknown };
    if (typeof value.k !== "string" || typeof value.i !== "string" || value.i.length > 64 || value.k.length > 256)
      return undefined;
    return { sortKey: value.k, id: value.i };
  } catch {
    return undefined;
  }
}

/** Splits `limit + 1` fetched rows into the page and the cursor of the next one (null at the end). */
export function pageOf<T extends { sortKey: string; id: string }>(
  rows: T[],
  limit: number,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last ? encodeCursor({ sortKey: last.sortKey, id: last.id }) : null };
}

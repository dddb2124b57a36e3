import { sql, type RawBuilder } from "kysely";
import type { NameKeyset } from "../../lib/keyset-cursor.js";

/*
 * The filters of both account lists, written once as SQL over an `accounts` row aliased `a`:
 * the person's list (`GET /me/accounts`) runs them inside its hot statements (`?` placeholders,
 * parameters in that order), the operator's list (`GET /admin/accounts`) through Kysely
 * (`asCondition`). So both search alike (escaped, H3; case-insensitive on SQLite and PostgreSQL
 * alike, as `ilike` is) and page in the same (name case-insensitively, id) keyset order.
 */

/** A condition on `a` with `?` placeholders, and its parameters in placeholder order. */
export interface AccountFilter<Input> {
  sql: string;
  parameters(input: Input): unknown[];
}

/** The sort key of both lists (then `a.id`); also the keyset cursor's `sortKey`. */
export const ACCOUNT_SORT_KEY = "lower(a.name)";

/** Escapes `%`, `_` and `\` so a search term matches itself inside LIKE (H3). */
export function likeContains(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Accounts of one type. */
export const accountOfType: AccountFilter<string> = {
  sql: "a.type = cast(? as text)",
  parameters: (type) => [type],
};

/** Accounts whose name or ID contains the search term, whatever the case. */
export const accountMatches: AccountFilter<string> = {
  sql: "(lower(a.name) like lower(cast(? as text)) escape '\\' or lower(a.id) like lower(cast(? as text)) escape '\\')",
  parameters: (term) => [likeContains(term), likeContains(term)],
};

/** Accounts strictly after a keyset position in (sort key, id) order. */
export const accountAfter: AccountFilter<NameKeyset> = {
  sql: `(${ACCOUNT_SORT_KEY} > cast(? as text) or (${ACCOUNT_SORT_KEY} = cast(? as text) and a.id > cast(? as text)))`,
  parameters: ({ sortKey, id }) => [sortKey, sortKey, id],
};

/**
 * A filter as a Kysely condition, its input bound as parameters. The text is this module's own
 * constant SQL, handed to Kysely's `sql` tag as the template strings a literal would have been.
 */
export function asCondition<Input>(filter: AccountFilter<Input>, input: Input): RawBuilder<boolean> {
  const values = filter.parameters(input);
  return constantSql<boolean>(filter.sql, values);
}

/** {@link ACCOUNT_SORT_KEY} for Kysely. */
export const accountSortKey = constantSql<string>(ACCOUNT_SORT_KEY, []);

function constantSql<T>(text: string, values: unknown[]): RawBuilder<T> {
  const pieces = text.split("?");
  if (values.length !== pieces.length - 1) throw new Error(`${values.length} parameters for ${pieces.length - 1} placeholders`);
  const strings = Object.assign([...pieces], { raw: [...pieces] }) as TemplateStringsArray;
  return sql<T>(strings, ...values);
}

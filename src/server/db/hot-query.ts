import type SqliteDatabase from "better-sqlite3";
import type { Kysely } from "kysely";
import type pg from "pg";
import { hasBareLimitParameter, LIMIT_PARAMETER } from "./limit.js";

/**
 * A read on the path of every request, run without the query builder: the SQL is written once,
 * prepared once (a better-sqlite3 statement; a named PostgreSQL statement per connection, parsed
 * and planned once), and each row comes back as an array of column values that the statement's
 * own `decode` turns into the object it needs. Building, compiling and re-planning the same query
 * through Kysely on every request cost more than running it (docs/design/hot-statements.md).
 * Each statement lives in the repository of its table, with its decoder beside its select list.
 *
 * The SQL uses `?` placeholders (rewritten to `$1…$n` for PostgreSQL) and names every column it
 * returns, in the order `decode` reads them (no `*`: a named PostgreSQL statement must keep its
 * result type across migrations).
 */
export type HotQuery<Row> = (parameters: readonly unknown[]) => Promise<Row[]>;

/** Column values of one result row, in the order of the SQL's select list. */
export type RowValues = readonly unknown[];

export type PrepareHotQuery = <Row>(name: string, sql: string, decode: (values: RowValues) => Row) => HotQuery<Row>;

/**
 * Hot queries that differ by a key (a filter combination, the length of an IN list): the
 * statement of a key is written and prepared the first time that key is used, then reused.
 * `name` must give each key its own statement name.
 */
export function hotQueryFamily<Key, Row>(
  prepareHot: PrepareHotQuery,
  name: (key: Key) => string,
  sql: (key: Key) => string,
  decode: (values: RowValues) => Row,
): (key: Key) => HotQuery<Row> {
  const prepared = new Map<string, HotQuery<Row>>();
  return (key) => {
    const statementName = name(key);
    let query = prepared.get(statementName);
    if (!query) prepared.set(statementName, (query = prepareHot(statementName, sql(key), decode)));
    return query;
  };
}

/**
 * SQLite: the statement runs synchronously on the one connection. While another request holds
 * that connection in a transaction (Kysely's mutex), the query waits for it like any other, so it
 * never reads another request's uncommitted writes.
 */
export function sqliteHotQueries(sqlite: SqliteDatabase.Database, db: Kysely<never>): PrepareHotQuery {
  return <Row>(name: string, sql: string, decode: (values: RowValues) => Row): HotQuery<Row> => {
    registerHotQuery(name, sql);
    let statement: SqliteDatabase.Statement<unknown[], unknown[]> | undefined;
    const run = (parameters: readonly unknown[]): Row[] => {
      statement ??= sqlite.prepare<unknown[], unknown[]>(sql).raw(true);
      return statement.all(parameters).map(decode);
    };
    return async (parameters) => {
      if (!sqlite.inTransaction) return run(parameters);
      return db.connection().execute(async () => run(parameters));
    };
  };
}

/** PostgreSQL: a named statement, prepared on each pooled connection the first time it runs there. */
export function postgresHotQueries(pool: pg.Pool): PrepareHotQuery {
  return <Row>(name: string, sql: string, decode: (values: RowValues) => Row): HotQuery<Row> => {
    registerHotQuery(name, sql);
    const text = toPostgresPlaceholders(sql);
    return async (parameters) => {
      const result = await pool.query<unknown[]>({ name: `pc_${name}`, text, values: [...parameters], rowMode: "array" });
      return result.rows.map(decode);
    };
  };
}

/** `?` → `$1`, `$2`, … in order (the hot queries hold no `?` inside string literals). */
export function toPostgresPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The SQL of every hot query prepared so far, by statement name. */
const claimed = new Map<string, string>();

/**
 * Checks a hot query before it is prepared: no bare `limit ?` (db/limit.ts), and one SQL text
 * per statement name (a PostgreSQL connection refuses a name prepared with other text).
 */
function registerHotQuery(name: string, sql: string): void {
  if (hasBareLimitParameter(sql)) {
    throw new Error(
      `Hot query "${name}" has a bare "limit ?": SQLite would plan it again on every run; write "limit ${LIMIT_PARAMETER}".`,
    );
  }
  const previous = claimed.get(name);
  if (previous !== undefined && previous !== sql) throw new Error(`Hot query "${name}" is already defined with other SQL.`);
  claimed.set(name, sql);
}

import type SqliteDatabase from "better-sqlite3";
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from "kysely";

/** Distinct SQL texts kept prepared (a handful of IN-list lengths per query shape; ~KB each). */
const DEFAULT_MAX_STATEMENTS = 500;

/**
 * better-sqlite3 as Kysely's SqliteDialect sees it, but with prepared statements reused by SQL
 * text. Kysely calls `prepare(sql)` for every query it runs, and compiling the SQL (parse + plan)
 * costs more than running the query itself on the hot paths. Kysely emits the same text for the
 * same query shape with values as bound parameters, so a small LRU of statements serves nearly
 * every query.
 *
 * A reused statement is safe for `all`/`run` (they finish synchronously); `iterate` (Kysely's
 * `.stream()`) gets a statement of its own, since a statement cannot serve a second query while
 * an iteration over it is open. Schema changes are handled by SQLite, which re-prepares a stale
 * statement by itself (sqlite3_prepare_v2).
 */
export function withStatementCache(
  sqlite: SqliteDatabase.Database,
  maxStatements = DEFAULT_MAX_STATEMENTS,
): KyselySqliteDatabase {
  const cache = new Map<string, SqliteStatement>();

  function prepareCached(sql: string): SqliteStatement {
    const hit = cache.get(sql);
    if (hit) {
      cache.delete(sql); // move to the most recently used end
      cache.set(sql, hit);
      return hit;
    }
    const statement = sqlite.prepare(sql);
    const wrapped: SqliteStatement = {
      reader: statement.reader,
      // Bound exactly as Kysely's own driver binds them (the array as the one argument).
      all: (parameters) => statement.all(parameters),
      run: (parameters) => statement.run(parameters),
      iterate: (parameters) => sqlite.prepare(sql).iterate(parameters),
    };
    cache.set(sql, wrapped);
    if (cache.size > maxStatements) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    return wrapped;
  }

  return { close: () => sqlite.close(), prepare: prepareCached };
}

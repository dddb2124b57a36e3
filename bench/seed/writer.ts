import SqliteDatabase from "better-sqlite3";
import pg from "pg";

/*
 * Writes benchmark data straight into the product's own tables, in batches: SQLite one
 * transaction per batch through a prepared statement; PostgreSQL one multi-row
 * `INSERT … SELECT * FROM unnest($1::text[], $2::bigint[], …)` per batch (a few round trips for
 * a million rows, no per-row statements).
 */

type ColumnType = "text" | "bigint" | "integer";

/** Column order and types of the tables the bench fills (see src/server/db/migrations/0001). */
export const COLUMNS = {
  users: {
    id: "text",
    email: "text",
    first_name: "text",
    last_name: "text",
    phone: "text",
    job_title: "text",
    locale: "text",
    timezone: "text",
    date_format: "text",
    time_format: "text",
    news_opt_in: "integer",
    news_opt_in_changed_at: "bigint",
    password_hash: "text",
    password_changed_at: "bigint",
    created_at: "bigint",
    updated_at: "bigint",
  },
  sessions: {
    id: "text",
    token_hash: "text",
    user_id: "text",
    created_at: "bigint",
    last_seen_at: "bigint",
    expires_at: "bigint",
    authenticated_at: "bigint",
    mfa_pending: "integer",
    mfa_verified: "integer",
    active_account_id: "text",
    notice: "text",
    ip: "text",
    user_agent: "text",
    ended_at: "bigint",
    end_reason: "text",
  },
  accounts: { id: "text", name: "text", type: "text", mfa_policy: "text", created_at: "bigint", updated_at: "bigint" },
  account_groups: { id: "text", account_id: "text", name: "text", is_admin: "integer", created_at: "bigint" },
  account_memberships: { account_id: "text", user_id: "text", joined_at: "bigint" },
  group_memberships: { group_id: "text", user_id: "text", account_id: "text", added_at: "bigint" },
  mfa_factors: {
    id: "text",
    user_id: "text",
    type: "text",
    secret_encrypted: "text",
    confirmed_at: "bigint",
    last_used_step: "bigint",
    created_at: "bigint",
  },
} satisfies Record<string, Record<string, ColumnType>>;

export type Table = keyof typeof COLUMNS;
export type Row = Array<string | number | null>;

/** A connection that inserts batches of rows and runs a few statements (`?` placeholders). */
export interface BulkWriter {
  dialect: "sqlite" | "postgres";
  /** Inserts rows (values in COLUMNS order), as one batch. */
  insert(table: Table, rows: Row[]): Promise<void>;
  /** Runs one statement; `?` placeholders on both dialects. Returns the changed row count. */
  run(sql: string, params?: unknown[]): Promise<number>;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Leaves the database as a long-running server keeps it after a bulk load: SQLite's WAL
   * checkpointed and truncated, PostgreSQL's statistics gathered (what autovacuum does).
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** SQLite: its own connection to the product's file (WAL lets the idle server keep it open). */
export function openSqliteWriter(file: string): BulkWriter {
  const db = new SqliteDatabase(file);
  db.pragma("busy_timeout = 10000");
  db.pragma("synchronous = OFF"); // bulk load only: the data is thrown away after the run
  db.pragma("cache_size = -1000000"); // 1 GB of page cache keeps the random-key indexes in memory
  const statements = new Map<Table, SqliteDatabase.Statement>();
  const statementFor = (table: Table) => {
    let statement = statements.get(table);
    if (!statement) {
      const names = Object.keys(COLUMNS[table]);
      statement = db.prepare(`insert into ${table} (${names.join(", ")}) values (${names.map(() => "?").join(", ")})`);
      statements.set(table, statement);
    }
    return statement;
  };
  return {
    dialect: "sqlite",
    insert: async (table, rows) => {
      const statement = statementFor(table);
      db.transaction(() => {
        for (const row of rows) statement.run(row);
      })();
    },
    run: async (sql, params = []) => db.prepare(sql).run(params).changes,
    all: async <T>(sql: string, params: unknown[] = []) => db.prepare(sql).all(params) as T[],
    settle: async () => void db.pragma("wal_checkpoint(TRUNCATE)"),
    close: async () => void db.close(),
  };
}

/** `?` → `$1, $2, …` for PostgreSQL. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const PG_ROWS_PER_STATEMENT = 25_000;

/** PostgreSQL: one client; batches as unnest() of one array per column. */
export async function openPostgresWriter(url: string): Promise<BulkWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("set synchronous_commit = off");
  return {
    dialect: "postgres",
    insert: async (table, rows) => {
      const columns = Object.entries(COLUMNS[table]);
      const unnest = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ");
      const names = columns.map(([name]) => name).join(", ");
      for (let start = 0; start < rows.length; start += PG_ROWS_PER_STATEMENT) {
        const chunk = rows.slice(start, start + PG_ROWS_PER_STATEMENT);
        const arrays = columns.map((_, i) => chunk.map((row) => row[i] ?? null));
        await client.query(`insert into ${table} (${names}) select * from unnest(${unnest})`, arrays);
      }
    },
    run: async (sql, params = []) => (await client.query(numbered(sql), params)).rowCount ?? 0,
    all: async <T>(sql: string, params: unknown[] = []) => (await client.query(numbered(sql), params)).rows as T[],
    settle: async () => void (await client.query("analyze")),
    close: () => client.end(),
  };
}

import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { CamelCasePlugin, Kysely, Migrator, sql } from "kysely";
import pg from "pg";
import { migrationProvider } from "./migrations/index.js";
import { withStatementCache } from "./statement-cache.js";
import { startCheckpointer } from "./checkpointer.js";
import { SafeRollbackPostgresDialect, SafeRollbackSqliteDialect } from "./rollback.js";
import { createWriteProbe } from "./write-probe.js";
import { retireClientsOnFault } from "./pg-retire.js";
import { postgresHotQueries, sqliteHotQueries, type PrepareHotQuery } from "./hot-query.js";
import type { Database } from "./schema.js";

// int8 (bigint) columns hold epoch milliseconds: far below 2^53, so plain numbers are exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Dialect = "sqlite" | "postgres";

/** An open database: the Kysely instance plus what the service layer needs around it. */
export interface Db {
  db: Kysely<Database>;
  dialect: Dialect;
  /** A read on every request's path, prepared once and run past the query builder (see hot-query.ts). */
  prepareHot: PrepareHotQuery;
  /** True when a trivial query answers. */
  ping(): Promise<boolean>;
  /** True when the database takes a write (for /readyz; rate-limited, see write-probe.ts). */
  probeWrite(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL: connections in the pool (default 10). */
  poolSize?: number;
  /**
   * SQLite file: checkpoint the WAL in a worker thread instead of in the commit that fills it
   * (db/checkpointer.ts). The server does; the CLI and tests keep SQLite's automatic checkpoints.
   */
  backgroundCheckpoints?: { onError: (message: string) => void };
}

/** Opens SQLite (`sqlite:<file>`, `sqlite::memory:`) or PostgreSQL (`postgres://…`). */
export function openDatabase(url: string, options: OpenOptions = {}): Db {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options.poolSize ?? 10);
  const file = url.replace(/^(sqlite|file):/, "");
  return openSqlite(file, options.backgroundCheckpoints);
}

/** The page size of a new SQLite database. */
export const SQLITE_PAGE_SIZE = 8192;

function openSqlite(file: string, backgroundCheckpoints: OpenOptions["backgroundCheckpoints"]): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // A new database gets 8 KiB pages (SQLite's default is 4 KiB; PostgreSQL's is 8 KiB): a large
  // write logs half as many WAL frames, two system calls each, which matters most for the
  // large commits of revoking many sessions at once (docs/performance.md). Set before
  // WAL mode, as SQLite requires; an existing database keeps its page size until a VACUUM.
  sqlite.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  // A page cache of up to 256 MiB (allocated as used; SQLite's default is 2 MiB). The session
  // check touches a few pages of four B-trees per person; the working set of many people signed
  // in at once must stay in the cache, or every check re-reads pages through system calls
  // (`npm run bench -- --scale`).
  sqlite.pragma("cache_size = -262144");
  let checkpointer: ReturnType<typeof startCheckpointer> | undefined;
  if (backgroundCheckpoints && file !== ":memory:") {
    sqlite.pragma("wal_autocheckpoint = 0");
    // After a burst (a mass revoke), the WAL file shrinks back to 64 MiB once it is reused.
    sqlite.pragma("journal_size_limit = 67108864");
    checkpointer = startCheckpointer(file, { onError: backgroundCheckpoints.onError });
  }
  const db = new Kysely<Database>({
    dialect: new SafeRollbackSqliteDialect({ database: withStatementCache(sqlite) }, () => sqlite.open && sqlite.inTransaction),
    plugins: [new CamelCasePlugin()],
  });
  return wrap(db, "sqlite", sqliteHotQueries(sqlite, db as Kysely<never>), () => sqlite.open, checkpointer?.stop);
}

function openPostgres(url: string, poolSize: number): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // An idle client that loses its server must not crash the process; /readyz reports it.
  pool.on("error", () => undefined);
  // …nor may a checked-out one: its query fails on its own, the 'error' event must not throw.
  pool.on("connect", (client) => client.on("error", () => undefined));
  retireClientsOnFault(pool);
  const db = new Kysely<Database>({ dialect: new SafeRollbackPostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  return wrap(db, "postgres", postgresHotQueries(pool), () => true);
}

/** The {@link Db} around an open Kysely instance: `ping` answers false once closed or when the driver says so. */
function wrap(
  db: Kysely<Database>,
  dialect: Dialect,
  prepareHot: PrepareHotQuery,
  isOpen: () => boolean,
  beforeClose?: () => Promise<void>,
): Db {
  let closed = false;
  const probeWrite = createWriteProbe(db, dialect);
  return {
    db,
    dialect,
    prepareHot,
    probeWrite: async () => !closed && isOpen() && (await probeWrite()),
    ping: async () => {
      if (closed || !isOpen()) return false;
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await beforeClose?.();
      await db.destroy();
    },
  };
}

/** Applies every pending migration; safe to run again (idempotent) and from several nodes. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { migrations } from "./migrations/index.js";

/*
 * Backup and restore of the embedded SQLite database (the operator CLI's `backup` and `restore`).
 * PostgreSQL is backed up with its own tools (pg_dump / pg_restore; docs/operations.md).
 */

/** What a backup or restore reports. */
export interface BackupFacts {
  /** The file written. */
  file: string;
  /** Pages copied (of the database's page size). */
  pages: number;
  /** People in the copy. */
  people: number;
}

/** Thrown with an operator-facing explanation; the CLI prints it and exits 1. */
export class BackupError extends Error {}

/** Migrations Kysely recorded as applied in an open SQLite database (empty when it has none). */
function appliedMigrations(sqlite: SqliteDatabase.Database): string[] {
  const table = sqlite.prepare("select name from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
  if (!table) return [];
  return (sqlite.prepare("select name from kysely_migration order by name").all() as Array<{ name: string }>).map((r) => r.name);
}

/**
 * Checks that `file` is a whole, sound Profile Center database this version can run: SQLite's
 * integrity check passes, foreign keys hold, its migrations are ones this version knows.
 * Returns how many people it holds.
 */
export function verifySqliteCopy(file: string): number {
  let sqlite: SqliteDatabase.Database;
  try {
    sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`${file} cannot be opened as an SQLite database (${(error as Error).message})`);
  }
  try {
    let integrity: unknown;
    try {
      integrity = sqlite.pragma("integrity_check", { simple: true });
    } catch (error) {
      throw new BackupError(`${file} is not an SQLite database (${(error as Error).message})`);
    }
    if (integrity !== "ok") throw new BackupError(`${file} fails SQLite's integrity check: ${String(integrity)}`);
    if ((sqlite.pragma("foreign_key_check") as unknown[]).length > 0)
      throw new BackupError(`${file} has rows whose foreign keys do not hold`);
    const applied = appliedMigrations(sqlite);
    if (applied.length === 0) throw new BackupError(`${file} is not a Profile Center database (no migrations recorded)`);
    const unknown = applied.filter((name) => !(name in migrations));
    if (unknown.length > 0)
      throw new BackupError(
        `${file} was made by a newer version of Profile Center (migrations ${unknown.join(", ")}); upgrade first`,
      );
    return (sqlite.prepare("select count(*) as n from users").get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

/**
 * A consistent copy of a live SQLite database into `out` (which must not exist), with SQLite's
 * online backup API, while other connections (the server) go on writing. Every page is copied in
 * one step, under one read snapshot, so the copy is the database as of one moment; a step that a
 * writer interrupts starts over, again in one step. The copy is made a single self-contained file
 * (rollback journal, not WAL), checked, then moved into place.
 */
export async function backupSqlite(source: string, out: string): Promise<BackupFacts> {
  if (!fs.existsSync(source)) throw new BackupError(`there is no database at ${source} (check DATA_DIR / DATABASE_URL)`);
  if (fs.existsSync(out)) throw new BackupError(`${out} already exists; choose a new file name`);
  const dir = path.dirname(path.resolve(out));
  if (!fs.existsSync(dir)) throw new BackupError(`the folder ${dir} does not exist`);
  const partial = `${out}.partial-${process.pid}`;
  const sqlite = new SqliteDatabase(source, { fileMustExist: true, timeout: 5000 });
  try {
    const { totalPages } = await sqlite.backup(partial, { progress: () => 0x7fffffff });
    const copy = new SqliteDatabase(partial);
    try {
      copy.pragma("journal_mode = DELETE");
    } finally {
      copy.close();
    }
    fs.chmodSync(partial, 0o600);
    const people = verifySqliteCopy(partial);
    fsyncFile(partial);
    fs.renameSync(partial, out);
    fsyncFile(dir);
    return { file: out, pages: totalPages, people };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    sqlite.close();
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * True when no other connection has the database open. An exclusive lock cannot be taken while
 * the server (or another CLI) holds the file, in WAL mode included; closing the probe also folds
 * a leftover WAL into the file, so the file alone is then the whole database.
 */
function isUnused(file: string): boolean {
  const probe = new SqliteDatabase(file, { fileMustExist: true, timeout: 200 });
  try {
    probe.pragma("locking_mode = EXCLUSIVE");
    probe.exec("begin exclusive");
    probe.exec("commit");
    return true;
  } catch {
    return false;
  } finally {
    probe.close();
  }
}

/**
 * Restores a backup made by {@link backupSqlite} into `target` (the configured database file),
 * with the server stopped: the backup is checked first, the current database (if any) is kept
 * beside it as `<target>.before-restore-<time>`, and the copy is moved into place atomically.
 */
export function restoreSqlite(
  from: string,
  target: string,
  now: Date,
): { file: string; people: number; previous: string | null } {
  if (!fs.existsSync(from)) throw new BackupError(`${from} does not exist`);
  const people = verifySqliteCopy(from);
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  let previous: string | null = null;
  if (fs.existsSync(target)) {
    if (!isUnused(target))
      throw new BackupError(
        `the database ${target} is in use: stop the server (every process using this DATA_DIR) before restoring`,
      );
    previous = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, "-")}`;
  }
  const incoming = `${target}.restoring-${process.pid}`;
  try {
    fs.copyFileSync(from, incoming, fs.constants.COPYFILE_EXCL);
    fs.chmodSync(incoming, 0o600);
    fsyncFile(incoming);
    if (previous) fs.renameSync(target, previous);
    for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${target}${suffix}`, { force: true });
    try {
      fs.renameSync(incoming, target);
    } catch (error) {
      if (previous) fs.renameSync(previous, target); // put the database back as it was
      throw error;
    }
    fsyncFile(path.dirname(target));
  } catch (error) {
    fs.rmSync(incoming, { force: true });
    throw error;
  }
  return { file: target, people, previous };
}

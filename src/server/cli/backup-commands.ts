import { loadConfig } from "../config.js";
import { BackupError, backupSqlite, restoreSqlite } from "../db/backup.js";
import { str, type Command, type Io } from "./admin-commands.js";

/** What a copy of the database alone cannot bring back, said by both commands. */
function keepAlso(io: Io, env: Record<string, string | undefined>, dataDir: string): void {
  const where = (name: string, file: string) =>
    env[name] ? `${name} (as configured)` : `${name} (generated into ${dataDir}/${file})`;
  io.out(
    `Keep with it, separately and safely: ${where("ENCRYPTION_KEYS", "encryption-keys")} and ${where("ADMIN_TOKEN", "admin-token")}. ` +
      "Without the same ENCRYPTION_KEYS the authenticator secrets in the copy cannot be read, and the server refuses to start on it.",
  );
}

/** The SQLite file of the configuration; PostgreSQL has its own tools. */
function sqliteFileOf(env: Record<string, string | undefined>, verb: "backup" | "restore") {
  const config = loadConfig(env);
  if (!config.databaseUrl.startsWith("sqlite:")) {
    throw new BackupError(
      verb === "backup"
        ? 'DATABASE_URL is PostgreSQL: back it up with pg_dump (e.g. pg_dump --format=custom --file=profile-center.dump "$DATABASE_URL"); see docs/operations.md'
        : 'DATABASE_URL is PostgreSQL: restore with pg_restore (e.g. pg_restore --clean --if-exists --dbname="$DATABASE_URL" profile-center.dump); see docs/operations.md',
    );
  }
  return { file: config.databaseUrl.replace(/^sqlite:/, ""), dataDir: config.dataDir };
}

/** `backup` and `restore` of the embedded database; they never open the services (no key check, no migrations). */
export const BACKUP_COMMANDS: Record<string, Command> = {
  backup: {
    summary: "Copy the embedded (SQLite) database consistently into a new file, while the server runs",
    options: { out: { type: "string", required: true, description: "the backup file to write (must not exist)" } },
    async runBare(env, values, io) {
      const { file, dataDir } = sqliteFileOf(env, "backup");
      const facts = await backupSqlite(file, str(values, "out") ?? "");
      io.out(`Backup written to ${facts.file}: ${facts.people} people, ${facts.pages} pages, integrity checked.`);
      keepAlso(io, env, dataDir);
    },
  },
  restore: {
    summary: "Restore a backup into the configured DATA_DIR (stop the server first)",
    options: { from: { type: "string", required: true, description: "a file written by the backup command" } },
    async runBare(env, values, io) {
      const { file, dataDir } = sqliteFileOf(env, "restore");
      const facts = restoreSqlite(str(values, "from") ?? "", file, new Date());
      io.out(`Restored ${facts.people} people into ${facts.file}.`);
      if (facts.previous) io.out(`The database it replaced is kept as ${facts.previous}.`);
      keepAlso(io, env, dataDir);
      io.out("Start the server with the ENCRYPTION_KEYS in use when the backup was taken; it applies pending migrations.");
    },
  },
};

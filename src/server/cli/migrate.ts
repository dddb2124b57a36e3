import "../runtime-check.js";
import { pathToFileURL } from "node:url";
import { ConfigError, loadConfig } from "../config.js";
import { migrateToLatest, openDatabase } from "../db/database.js";
import { resolveSecrets } from "../secrets-file.js";
import { waitForDatabase } from "../startup.js";

const MIGRATE_HELP = [
  "Usage: npm run migrate     (or: npx profile-center migrate)",
  "",
  "Applies the pending database migrations to the configured database and prints each one applied.",
  "Uses the same configuration as the server: DATABASE_URL (PostgreSQL), else the SQLite file in DATA_DIR.",
  "The server also migrates when it starts; running this first (e.g. before a rolling restart) is safe,",
  "from several nodes too. Exit codes: 0 done, 1 failed (configuration, database), 2 wrong usage.",
].join("\n");

/**
 * `npm run migrate`: applies pending migrations to the configured database (the same
 * configuration as the server) and prints what ran. Safe to run again and from several nodes.
 */
export async function runMigrate(
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  args: readonly string[] = [],
): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    out(MIGRATE_HELP);
    return 0;
  }
  if (args.length > 0) {
    out(`Unknown argument "${args[0]}".\n\n${MIGRATE_HELP}`);
    return 2;
  }
  let config;
  try {
    config = resolveSecrets(loadConfig(env)).config;
  } catch (error) {
    if (error instanceof ConfigError) {
      out(error.message);
      return 1;
    }
    throw error;
  }
  const database = openDatabase(config.databaseUrl, { poolSize: 1 });
  try {
    const where = database.dialect === "postgres" ? "PostgreSQL" : config.databaseUrl.replace(/^sqlite:/, "SQLite ");
    await waitForDatabase(database.db, config.databaseUrl, { waitSeconds: config.databaseWaitSeconds });
    const applied = await migrateToLatest(database.db);
    if (applied.length === 0) out(`${where}: already up to date.`);
    else for (const name of applied) out(`${where}: applied ${name}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      out(error.message);
      return 1;
    }
    out(`Migration failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runMigrate(process.env, (line) => console.log(line), process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`Migration failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}

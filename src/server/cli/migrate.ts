import "../runtime-check.js";
import { pathToFileURL } from "node:url";
import { ConfigError, loadConfig } from "../config.js";
import { migrateToLatest, openDatabase } from "../db/database.js";
import { resolveSecrets } from "../secrets-file.js";

/**
 * `npm run migrate`: applies pending migrations to the configured database (the same
 * configuration as the server) and prints what ran. Safe to run again and from several nodes.
 */
export async function runMigrate(env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
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
    const applied = await migrateToLatest(database.db);
    if (applied.length === 0) out(`${where}: already up to date.`);
    else for (const name of applied) out(`${where}: applied ${name}`);
    return 0;
  } catch (error) {
    out(`Migration failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runMigrate(process.env, (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`Migration failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}

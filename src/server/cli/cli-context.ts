import path from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.js";
import { loadConfig, type ResolvedConfig } from "../config.js";
import { migrateToLatest, openDatabase, type Db } from "../db/database.js";
import { resolveSecrets } from "../lib/secrets-file.js";
import type { Services } from "../services.js";

/** What a CLI command runs against: the same services the server builds, on the same database. */
export interface CliContext {
  services: Services;
  config: Readonly<ResolvedConfig>;
  /** Migrations applied while opening (usually none). */
  applied: string[];
  close(): Promise<void>;
}

/**
 * Opens the database from the same configuration as the server (environment + DATA_DIR secrets),
 * applies pending migrations and builds the app's services without listening: the CLI calls
 * exactly what the admin API calls. Log lines below `warn` are dropped (the audit trail is in
 * the database); warnings go to stderr.
 */
export async function openCliContext(env: Record<string, string | undefined> = process.env): Promise<CliContext> {
  const { config: resolved } = resolveSecrets(loadConfig(env));
  const config = Object.freeze({ ...resolved, logLevel: "warn" });
  const database: Db = openDatabase(config.databaseUrl, { poolSize: 2 });
  let app: FastifyInstance | undefined;
  try {
    const applied = await migrateToLatest(database.db);
    app = await buildApp({ config, database, logStream: process.stderr, webRoot: path.join(config.dataDir, "no-web-for-cli") });
    const built = app;
    return {
      services: built.services,
      config,
      applied,
      close: async () => {
        await built.services.mailer.deliverDueMail().catch(() => 0);
        await built.close(); // closes the mailer too
        await database.close();
      },
    };
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }
}

import { loadConfig, type ResolvedConfig } from "../config.js";
import { migrateToLatest, openDatabase, type Db } from "../db/database.js";
import { createLogger } from "../lib/logger.js";
import { resolveSecrets } from "../secrets-file.js";
import { createServices, type Services } from "../services.js";

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
 * applies pending migrations and builds the same services as the server, without HTTP: the CLI
 * calls exactly what the admin API calls. Log lines below `warn` are dropped (the audit trail is
 * in the database); warnings go to stderr.
 */
export async function openCliContext(env: Record<string, string | undefined> = process.env): Promise<CliContext> {
  const { config: resolved } = resolveSecrets(loadConfig(env));
  const config = Object.freeze({ ...resolved, logLevel: "warn" });
  const database: Db = openDatabase(config.databaseUrl, { poolSize: 2 });
  try {
    const applied = await migrateToLatest(database.db);
    const services = createServices({ config, database, logger: createLogger(config.logLevel, process.stderr) });
    // The CLI writes encrypted data (mail) too: never with keys the database does not know.
    await services.checkReadyToServe().catch(async (error: unknown) => {
      await services.close();
      throw error;
    });
    return {
      services,
      config,
      applied,
      close: async () => {
        await services.mailer.deliverDueMail().catch(() => 0);
        await services.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

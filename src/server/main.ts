import "./runtime-check.js";
import { buildApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { migrateToLatest, openDatabase } from "./db/database.js";
import { startBackgroundJobs } from "./jobs.js";
import { resolveSecrets } from "./lib/secrets-file.js";

/** The only entry with side effects: load config, open and migrate the db, listen, stop on SIGTERM. */
async function main(): Promise<void> {
  let resolved;
  try {
    const { config, generated } = resolveSecrets(loadConfig(process.env));
    resolved = config;
    for (const file of generated) console.log(`Generated ${file} (mode 0600); later starts reuse it.`);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      console.error("Profile Center did not start. Fix the variables above and start again.");
      process.exit(1);
    }
    throw error;
  }
  // Until the app's logger exists, a failed background checkpoint is reported on stderr.
  let checkpointFailed = (message: string) => console.error(`SQLite checkpoint failed: ${message}`);
  const database = openDatabase(resolved.databaseUrl, {
    backgroundCheckpoints: { onError: (message) => checkpointFailed(message) },
  });
  await migrateToLatest(database.db);
  const app = await buildApp({ config: resolved, database });
  checkpointFailed = (message) => app.log.warn({ job: "sqlite-checkpoint", err: message }, "background job failed");
  const onReady = await import("./startup.js");
  await onReady.afterStart(app);
  await app.listen({ port: resolved.port, host: resolved.host });
  const jobs = startBackgroundJobs(app);
  await onReady.announce(app);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down");
    jobs.stop();
    await app.close(); // also waits for a mail delivery in progress (app.ts)
    await database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("Profile Center failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});

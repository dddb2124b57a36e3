import "./runtime-check.js";
import { buildApp } from "./app.js";
import { formatDemoLogin, seedDemoWorkspace } from "./cli/demo-seed.js";
import { ConfigError, loadConfig } from "./config.js";
import { migrateToLatest, openDatabase } from "./db/database.js";
import { createMetricsServer } from "./http/metrics.js";
import { resolveSecrets } from "./secrets-file.js";
import { describeDatabaseUrl, explainListenError, waitForDatabase } from "./startup.js";

/**
 * The only entry with side effects: load config, open and migrate the db, check the keys, seed the
 * demo workspace into an empty database, listen, run the background jobs, stop on SIGTERM.
 */
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
  let database;
  try {
    database = openDatabase(resolved.databaseUrl, {
      backgroundCheckpoints: { onError: (message) => checkpointFailed(message) },
    });
  } catch (error) {
    const variable = process.env.DATABASE_URL ? "DATABASE_URL" : "DATA_DIR";
    throw new ConfigError([
      `${variable}: cannot open the ${describeDatabaseUrl(resolved.databaseUrl)} (${(error as Error).message})`,
    ]);
  }
  await waitForDatabase(database.db, resolved.databaseUrl, {
    waitSeconds: resolved.databaseWaitSeconds,
    onRetry: (reason, retryInMs) =>
      console.error(
        `Waiting for the database (${describeDatabaseUrl(resolved.databaseUrl)}: ${reason}); retrying in ${retryInMs} ms`,
      ),
  });
  await migrateToLatest(database.db);
  const app = await buildApp({ config: resolved, database });
  const { services } = app;
  checkpointFailed = (message) => app.log.warn({ job: "sqlite-checkpoint", err: message }, "background job failed");
  // The start-up checks (keys that can read the data) ran in buildApp, before single sign-on.
  const demoLogin = await seedDemoWorkspace(services);
  try {
    await app.listen({ port: resolved.port, host: resolved.host });
  } catch (error) {
    throw explainListenError(error, resolved);
  }
  const metricsServer =
    resolved.metricsPort === null ? undefined : createMetricsServer(app.metricsRegistry, resolved.metricsToken);
  if (metricsServer) {
    await new Promise<void>((resolve, reject) => {
      metricsServer.once("error", (error) =>
        reject(explainListenError(error, { host: resolved.host, port: resolved.metricsPort ?? 0 }, "METRICS_PORT")),
      );
      metricsServer.listen(resolved.metricsPort ?? 0, resolved.host, () => resolve());
    });
  }
  const jobs = services.startJobs();
  console.log(`\nProfile Center is running at ${resolved.publicUrl}`);
  console.log(`OpenAPI document: ${resolved.publicUrl}/api/v1/openapi.json\n`);
  if (demoLogin) console.log(formatDemoLogin(demoLogin));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down");
    jobs.stop();
    metricsServer?.close();
    await app.close(); // lets a mail delivery in progress finish (services.close)
    await database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    console.error("Profile Center did not start. Fix the variables above and start again.");
  } else console.error("Profile Center failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});

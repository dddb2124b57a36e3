import { sql, type Kysely } from "kysely";
import type { Config } from "./config.js";
import { ConfigError } from "./config.js";
import type { Database } from "./db/schema.js";

/*
 * What a starting node checks against the world outside its configuration: that its database
 * answers (waiting a bounded time for one that starts beside it) and that it can listen where it
 * was told. Each failure becomes a ConfigError naming the variable to fix.
 */

/** Where DATABASE_URL points, without its user name or password (never printed). */
export function describeDatabaseUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url)) return url.replace(/^(sqlite|file):/, "SQLite file ");
  try {
    const u = new URL(url);
    return `PostgreSQL at ${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "PostgreSQL (unparsable URL)";
  }
}

export interface WaitOptions {
  /** Give up after this long (0: one attempt). */
  waitSeconds: number;
  /** Told before each retry (the reason and the pause). */
  onRetry?: (reason: string, retryInMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Resolves once the database answers a trivial query, retrying with back-off (0.5 s doubling to
 * 5 s) for `waitSeconds`, so a node that starts before its PostgreSQL still comes up. Then throws
 * a ConfigError naming DATABASE_URL, with the last reason (never the password).
 */
export async function waitForDatabase(db: Kysely<Database>, databaseUrl: string, options: WaitOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.waitSeconds * 1000;
  let pause = 500;
  for (;;) {
    try {
      await sql`select 1`.execute(db);
      return;
    } catch (error) {
      const reason = (error as Error).message || String(error);
      const left = deadline - now();
      if (left <= 0) {
        throw new ConfigError([
          `DATABASE_URL: cannot reach the ${describeDatabaseUrl(databaseUrl)} (${reason}); gave up after ${options.waitSeconds} s ` +
            "(DATABASE_WAIT_SECONDS). Check that the database runs and that DATABASE_URL names it.",
        ]);
      }
      const wait = Math.min(pause, left);
      options.onRetry?.(reason, wait);
      await sleep(wait);
      pause = Math.min(pause * 2, 5000);
    }
  }
}

/** A failure to listen, as a ConfigError naming HOST and/or PORT; other errors come back unchanged. */
export function explainListenError(error: unknown, config: Pick<Config, "host" | "port">, portVariable = "PORT"): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${config.host}:${config.port}`;
  switch (code) {
    case "EADDRNOTAVAIL":
      return new ConfigError([`HOST: ${config.host} is not an address of this machine, so the server cannot listen on ${where}`]);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new ConfigError([`HOST: ${config.host} does not resolve to an address of this machine`]);
    case "EADDRINUSE":
      return new ConfigError([`${portVariable}: ${where} is already in use by another process; choose another ${portVariable}`]);
    case "EACCES":
      return new ConfigError([
        `${portVariable}: listening on ${where} is not permitted (ports below 1024 need privileges); choose another ${portVariable}`,
      ]);
    default:
      return error;
  }
}

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { parseEncryptionKeys, sqliteFileIn } from "../../src/server/config.js";
import { createEncryptor, type Encryptor } from "../../src/server/lib/crypto/encrypt.js";
import { freePort, SERVER_NODE_FLAGS, spawnNode, stopProcess, waitUntilReady } from "./proc.js";
import { postgresAnswers } from "../../test/postgres-server.js";

/*
 * The real product, as operators run it: `node dist/server/main.js` with NODE_ENV=production,
 * LOG_LEVEL=warn, a fresh DATA_DIR, on SQLite or on its own fresh PostgreSQL database.
 */

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const SERVER_ENTRY = path.join(ROOT, "dist/server/main.js");

/** Where the PostgreSQL runs come from: BENCH_PG_URL, else the local server's `test` database. */
export const PG_BASE_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type Dialect = "sqlite" | "postgres";

export interface ProductServer {
  dialect: Dialect;
  origin: string;
  port: number;
  pid: number;
  dataDir: string;
  /** `sqlite:<file>` or the PostgreSQL URL of this run's database. */
  databaseUrl: string;
  sqliteFile: string | undefined;
  encryptor: Encryptor;
  adminToken: string;
  /** PIDs of the PostgreSQL backends serving this server (their CPU is the database's share). */
  dbPids(): Promise<number[]>;
  stop(): Promise<void>;
}

/** True when PostgreSQL answers at the base URL. */
export function postgresAvailable(): Promise<boolean> {
  return postgresAnswers(PG_BASE_URL);
}

async function adminQuery(text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_BASE_URL });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh PostgreSQL database on the base server (like test/database.ts), and how to drop it. */
async function createPostgresDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `pc_bench_${randomBytes(6).toString("hex")}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(PG_BASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: async () => void (await adminQuery(`drop database if exists ${name} with (force)`)) };
}

export interface StartOptions {
  dialect: Dialect;
  /** Node flags beside {@link SERVER_NODE_FLAGS}, e.g. `--cpu-prof --cpu-prof-dir=…`. */
  nodeFlags?: string[];
}

/** Starts the built server on a free loopback port and waits for /readyz. */
export async function startProductServer(options: StartOptions): Promise<ProductServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `pc-bench-${options.dialect}-`));
  const pgDb = options.dialect === "postgres" ? await createPostgresDatabase() : undefined;
  const port = await freePort();
  const keys = `1:${randomBytes(32).toString("base64")}`;
  const adminToken = randomBytes(32).toString("base64url");
  const sqliteFile = pgDb ? undefined : sqliteFileIn(dataDir);
  const databaseUrl = pgDb ? pgDb.url : `sqlite:${sqliteFile}`;
  const origin = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    DEMO: "0",
    ENCRYPTION_KEYS: keys,
    ADMIN_TOKEN: adminToken,
    // The single sign-on issuer: redirects name it, so it must be where the bench connects.
    PUBLIC_URL: origin,
  };
  const logFile = path.join(dataDir, "server.log");
  const child: ChildProcess = spawnNode([...SERVER_NODE_FLAGS, ...(options.nodeFlags ?? []), SERVER_ENTRY], env, logFile);
  const cleanup = async () => {
    await stopProcess(child);
    await pgDb?.drop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(`${origin}/readyz`, child, logFile);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    dialect: options.dialect,
    origin,
    port,
    pid: child.pid!,
    dataDir,
    databaseUrl,
    sqliteFile,
    encryptor: createEncryptor(parseEncryptionKeys(keys)),
    adminToken,
    dbPids: async () => {
      if (!pgDb) return [];
      const result = await adminQuery(`select pid from pg_stat_activity where datname = '${pgDb.name}'`);
      return result.rows.map((r: { pid: number }) => r.pid);
    },
    stop: cleanup,
  };
}

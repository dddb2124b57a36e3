import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/server/app.js";
import { loadConfig, parseEncryptionKeys, type ResolvedConfig } from "../src/server/config.js";
import { migrateToLatest, openDatabase, type Db } from "../src/server/db/database.js";
import { createFakeClock, type FakeClock } from "../src/server/lib/clock.js";
import type { PasswordHasherOptions } from "../src/server/lib/crypto/password-hasher.js";
import { createTestDatabase } from "./database.js";
import { createClient, type TestClient } from "./test-client.js";

/** A whole app on its own database, as tests, factories and inspectors use it. */
export interface TestApp {
  app: FastifyInstance;
  config: Readonly<ResolvedConfig>;
  database: Db;
  clock: FakeClock;
  /** Every log line the app wrote (JSON strings), for the log-hygiene checks (I3–I5). */
  logs: string[];
  /** A new cookie-jar client speaking to this app (own origin, CSRF handled). */
  client(options?: { ip?: string; userAgent?: string }): TestClient;
  /** Mail written to the outbox folder so far, newest last. */
  mails(): Array<{ to: string; subject: string; raw: string }>;
}

/** A test app whose lifetime the caller owns (`createTestApp`), rather than `useTestApp`'s hooks. */
export interface OwnedTestApp extends TestApp {
  /** Closes the app and drops its database and temporary folders. */
  close(): Promise<void>;
}

/** Test encryption keys: fresh random per app. */
export function testEncryptionKeys(): string {
  return `1:${randomBytes(32).toString("base64")}`;
}

/**
 * A whole app on a fresh, migrated database (SQLite or PostgreSQL per TEST_DB), with a fake
 * clock and captured logs. `env` overrides configuration variables. Most suites want
 * `useTestApp()` (use-test-app.ts) instead; this is for a test that needs a second app of its
 * own or closes the app itself.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { webRoot?: string; clock?: FakeClock; hasher?: PasswordHasherOptions } = {},
): Promise<OwnedTestApp> {
  const testDb = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-data-"));
  const base = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: dataDir,
    DATABASE_URL: testDb.url,
    LOG_LEVEL: "info",
    ADMIN_TOKEN: "test-admin-token-0123456789abcdefghijklmnop",
    ENCRYPTION_KEYS: testEncryptionKeys(),
    PORT: "3000",
    ...env,
  });
  const config = Object.freeze({
    ...base,
    adminToken: base.adminToken!,
    encryptionKeys: base.encryptionKeys ?? parseEncryptionKeys(testEncryptionKeys()),
  });
  const database = openDatabase(config.databaseUrl, { poolSize: 5 });
  await migrateToLatest(database.db);
  const clock = options.clock ?? createFakeClock(Date.now());
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) logs.push(line);
      done();
    },
  });
  const app = await buildApp({
    config,
    database,
    clock,
    logStream,
    webRoot: options.webRoot ?? path.join(dataDir, "no-web"),
    hasher: options.hasher ?? TEST_HASHER,
  });
  await app.ready();
  const outbox = path.join(dataDir, "outbox");
  return {
    app,
    config,
    database,
    clock,
    logs,
    client: (o) => createClient(app, { origin: config.publicUrl, secure: config.secure, ...o }),
    mails: () => {
      if (!fs.existsSync(outbox)) return [];
      return fs
        .readdirSync(outbox)
        .sort()
        .map((f) => {
          // Unfold long header lines (RFC 5322 §2.2.3) so subjects and addresses read whole.
          const raw = fs.readFileSync(path.join(outbox, f), "utf8").replace(/\r?\n[ \t]+/g, " ");
          const header = (name: string) => new RegExp(`^${name}: (.*)$`, "mi").exec(raw)?.[1]?.trim() ?? "";
          return { to: header("To"), subject: header("Subject"), raw };
        });
    },
    close: async () => {
      await app.close();
      await database.close();
      await testDb.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Real argon2id parameters, but a long wait before "busy": test workers share two cores with
 * other suites, and a wait past the product's 2 s would make functional tests fail on load.
 * The hasher's own tests exercise the short wait.
 */
const TEST_HASHER = { maxWaitMs: 30_000 };

/** A second app node on the same database (own pool / connection), sharing the fake clock. */
export async function secondNode(t: TestApp) {
  const database = openDatabase(t.config.databaseUrl, { poolSize: 5 });
  const discard = new Writable({ write: (_chunk, _enc, done) => done() });
  const app = await buildApp({
    config: t.config,
    database,
    clock: t.clock,
    logStream: discard,
    webRoot: path.join(t.config.dataDir, "no-web"),
    hasher: TEST_HASHER,
  });
  await app.ready();
  return {
    app,
    client: () => createClient(app, { origin: t.config.publicUrl, secure: t.config.secure }),
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

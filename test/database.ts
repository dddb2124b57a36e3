import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/** Which database the suite runs on: `TEST_DB=postgres` (set by the test runner) or SQLite. */
export const TEST_DIALECT: "sqlite" | "postgres" = process.env.TEST_DB === "postgres" ? "postgres" : "sqlite";

/** A fresh, empty database for one test app, and how to throw it away. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Server URL of the PostgreSQL the suite uses (resolved by test/global-setup.ts). */
export function postgresBaseUrl(): string {
  const url = process.env.PC_TEST_PG_URL;
  if (!url) throw new Error("PC_TEST_PG_URL is not set: run the PostgreSQL suite through vitest (test/global-setup.ts)");
  return url;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** SQLite: a file in a temp dir. PostgreSQL: a new database on the shared server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DIALECT === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-test-"));
    return { url: `sqlite:${path.join(dir, "test.sqlite")}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  return createPostgresDatabase(postgresBaseUrl());
}

/** A new, empty PostgreSQL database on the server of `base` (a URL with any database), and how to drop it. */
export async function createPostgresDatabase(base: string, prefix = "pc_test"): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(base, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { createTestApp, type TestApp } from "@test/create-test-app.js";
import { TEST_DIALECT } from "@test/database.js";
import { adminCall } from "@test/accounts-fixtures.js";
import { enableTotp, insertUser, signIn } from "@test/factories.js";
import { runAdminCli } from "./admin.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const keysOf = (t: TestApp) =>
  t.config.encryptionKeys.map((k) => `${k.version}:${Buffer.from(k.key).toString("base64")}`).join(",");

function envOf(t: TestApp, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    NODE_ENV: "test",
    DATABASE_URL: t.config.databaseUrl,
    DATA_DIR: t.config.dataDir,
    ADMIN_TOKEN: t.config.adminToken,
    ENCRYPTION_KEYS: keysOf(t),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

async function cli(env: Record<string, string>, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdminCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => "" }, env);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** The CLI as a separate process (another connection to the database than the app's). */
function cliProcess(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--no-warnings", "--import", "tsx", "src/server/cli/admin.ts", ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("operator CLI: backup and restore", { timeout: 180_000 }, () => {
  const t = useTestApp();
  const cleanup: string[] = [];
  afterEach(() => {
    for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-backup-"));
    cleanup.push(dir);
    return dir;
  };

  it.runIf(TEST_DIALECT === "sqlite")(
    "a backup taken during writes restores into a new DATA_DIR as a consistent database that signs its people in",
    async () => {
      const person = await insertUser(t, { email: "kept@example.com" });
      const totp = await enableTotp(t, person.id);
      const out = path.join(tempDir(), "profile-center.backup");

      let writing = true;
      let written = 0;
      const writer = (async () => {
        while (writing) {
          const res = await adminCall(t, "POST", "/users", {
            email: `w${written}@example.com`,
            firstName: "W",
            lastName: "Riter",
          });
          expect(res.statusCode, res.body).toBe(201);
          written++;
        }
      })();
      const backup = await cliProcess(envOf(t), ["backup", "--out", out]);
      const atEnd = written;
      writing = false;
      await writer;
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toMatch(/Backup written to .*profile-center\.backup: \d+ people/);
      expect(backup.stdout).toContain("ENCRYPTION_KEYS");
      expect(backup.stdout).toContain("ADMIN_TOKEN");
      expect(atEnd).toBeGreaterThan(0); // the app kept writing while the copy was taken
      expect(fs.existsSync(`${out}-wal`)).toBe(false);

      const dataDir = tempDir();
      const restored = await cli(envOf(t, { DATA_DIR: dataDir, DATABASE_URL: undefined }), ["restore", "--from", out]);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain(path.join(dataDir, "profile-center.sqlite"));

      const copy = await createTestApp({
        DATABASE_URL: `sqlite:${path.join(dataDir, "profile-center.sqlite")}`,
        ENCRYPTION_KEYS: keysOf(t),
      });
      try {
        await expect(copy.app.services.checkReadyToServe()).resolves.toBeUndefined();
        const db = copy.app.services.db;
        const users = await db.selectFrom("users").select(["id", "email"]).execute();
        const created = (
          await db.selectFrom("securityEvents").select(["userId", "details"]).where("type", "=", "admin_action").execute()
        ).filter((e) => JSON.parse(e.details).operation === "create_user");
        // Each person and the event of their creation were one transaction: both are in the copy, or neither.
        const writers = users.filter((u) => u.email.startsWith("w"));
        expect(new Set(created.map((e) => e.userId))).toEqual(new Set(writers.map((u) => u.id)));
        expect(writers.length).toBeLessThanOrEqual(written);
        // The person from before the backup signs in with password and authenticator code.
        const client = copy.client();
        expect((await signIn(client, person)).json().status).toBe("mfa_required");
        const code = await client.post("/api/v1/auth/login/mfa", { code: totp.codeAt(copy.clock.now()) });
        expect(code.statusCode, code.body).toBe(200);
      } finally {
        await copy.close();
      }
    },
  );

  it.runIf(TEST_DIALECT === "sqlite")(
    "restore refuses a database in use, a file that is not a backup, and leaves the target as it was",
    async () => {
      await insertUser(t);
      const inUse = await cli(envOf(t), ["restore", "--from", t.config.databaseUrl.replace(/^sqlite:/, "")]);
      expect(inUse.code).toBe(1);
      expect(inUse.stderr).toContain("stop the server");

      const dataDir = tempDir();
      const junk = path.join(dataDir, "junk.backup");
      fs.writeFileSync(junk, "this is not a database at all, just some text to look at");
      const refused = await cli(envOf(t, { DATA_DIR: dataDir, DATABASE_URL: undefined }), ["restore", "--from", junk]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/not an SQLite database|cannot be opened/);
      expect(fs.existsSync(path.join(dataDir, "profile-center.sqlite"))).toBe(false);
      expect((await cli(envOf(t), ["restore", "--from", path.join(dataDir, "missing")])).code).toBe(1);

      const out = path.join(dataDir, "once.backup");
      expect((await cli(envOf(t), ["backup", "--out", out])).code).toBe(0);
      const again = await cli(envOf(t), ["backup", "--out", out]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("already exists");
      expect((await cli(envOf(t), ["backup"])).code).toBe(2);
    },
  );

  it.runIf(TEST_DIALECT === "postgres")("on PostgreSQL both commands point to pg_dump / pg_restore", async () => {
    const backup = await cli(envOf(t), ["backup", "--out", path.join(tempDir(), "x.backup")]);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain("pg_dump");
    const restore = await cli(envOf(t), ["restore", "--from", "x.backup"]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain("pg_restore");
  });
});

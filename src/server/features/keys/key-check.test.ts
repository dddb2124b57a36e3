import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import type { TestApp } from "@test/create-test-app.js";
import { enableTotp, insertUser } from "@test/factories.js";
import { ConfigError, parseEncryptionKeys } from "../../config.js";
import { openDatabase } from "../../db/database.js";
import { createLogger } from "../../lib/logger.js";
import { createServices } from "../../services.js";
import { runAdminCli } from "../../cli/admin.js";
import { createEncryptor } from "../../lib/crypto/encrypt.js";
import { verifyEncryptionKeys } from "./key-check.js";
import { createKeyChecksRepo } from "./key-checks.repo.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const randomKey = (version: number) => `${version}:${randomBytes(32).toString("base64")}`;
const keysOf = (t: TestApp) =>
  t.config.encryptionKeys.map((k) => `${k.version}:${Buffer.from(k.key).toString("base64")}`).join(",");

/** The start-up checks of a node configured with `keys` on the test app's database. */
async function startWith(t: TestApp, keys: string): Promise<void> {
  const database = openDatabase(t.config.databaseUrl, { poolSize: 2 });
  const services = createServices({
    config: Object.freeze({ ...t.config, encryptionKeys: parseEncryptionKeys(keys) }),
    database,
    logger: createLogger("silent"),
    clock: t.clock,
  });
  try {
    await services.checkReadyToServe();
  } finally {
    await services.close();
    await database.close();
  }
}

/** The real server entry point as an operator starts it; resolves once it exits (it must not start here). */
function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--no-warnings", "--import", "tsx", "src/server/main.ts"], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", PORT: "0", LOG_LEVEL: "silent", ...env },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("the key check: never new keys over old data", { timeout: 120_000 }, () => {
  const t = useTestApp();

  it("records a check per key version at the first start and refuses a different key of a known version, naming ENCRYPTION_KEYS", async () => {
    await t.app.services.checkReadyToServe();
    const checks = await t.app.services.db.selectFrom("keyChecks").selectAll().execute();
    expect(checks.map((c) => c.version)).toEqual([1]);
    // The check holds no key material, only a ciphertext in the product's format.
    expect(checks[0]!.value).toMatch(/^v1\./);
    await expect(startWith(t, keysOf(t))).resolves.toBeUndefined();
    // No person has MFA here: the check alone tells the keys apart.
    const refusal = startWith(t, randomKey(1));
    await expect(refusal).rejects.toBeInstanceOf(ConfigError);
    await expect(refusal).rejects.toThrow(/ENCRYPTION_KEYS: key version\(s\) 1 cannot decrypt/);
  });

  it("accepts a rotation (a new key first, the old one kept) and records the new version's check", async () => {
    await t.app.services.checkReadyToServe();
    await expect(startWith(t, `${randomKey(2)},${keysOf(t)}`)).resolves.toBeUndefined();
    const versions = (await t.app.services.db.selectFrom("keyChecks").select("version").orderBy("version").execute()).map(
      (c) => c.version,
    );
    expect(versions).toEqual([1, 2]);
  });

  it("a database from before key checks: a key that cannot read the stored TOTP secrets of its version is refused", async () => {
    // The app's own start recorded a check; a database from before key checks has none.
    await t.app.services.db.deleteFrom("keyChecks").execute();
    const user = await insertUser(t);
    await enableTotp(t, user.id);
    await expect(startWith(t, randomKey(1))).rejects.toThrow(/ENCRYPTION_KEYS/);
    expect(await t.app.services.db.selectFrom("keyChecks").selectAll().execute()).toEqual([]);
    await expect(startWith(t, keysOf(t))).resolves.toBeUndefined();
  });

  it("two nodes starting together on a new database with different keys: the check recorded first decides", async () => {
    // A new database: no check recorded yet (the test app's own start recorded one).
    await t.app.services.db.deleteFrom("keyChecks").execute();
    const keyChecks = createKeyChecksRepo(t.app.services.db);
    const mine = parseEncryptionKeys(randomKey(1));
    const theirs = parseEncryptionKeys(randomKey(1))[0]!;
    const deps = {
      keyChecks,
      clock: t.clock,
      // Between this node's look at the checks and its insert, the other node records its own.
      sampleCiphertexts: async () => {
        await keyChecks.insertKeyCheck({
          version: 1,
          value: createEncryptor([theirs]).encrypt("Profile Center key check"),
          createdAt: 0,
        });
        return [];
      },
    };
    await expect(verifyEncryptionKeys(deps, mine)).rejects.toThrow(/ENCRYPTION_KEYS: key version\(s\) 1/);
    await expect(verifyEncryptionKeys({ ...deps, sampleCiphertexts: async () => [] }, [theirs])).resolves.toBeUndefined();
  });

  it("the CLI refuses too, writing nothing", async () => {
    await t.app.services.checkReadyToServe();
    const err: string[] = [];
    const code = await runAdminCli(
      ["create-account", "--name", "Never", "--type", "vendor"],
      { out: () => undefined, err: (l) => err.push(l), readStdin: async () => "" },
      {
        NODE_ENV: "test",
        DATABASE_URL: t.config.databaseUrl,
        DATA_DIR: t.config.dataDir,
        ADMIN_TOKEN: t.config.adminToken,
        ENCRYPTION_KEYS: randomKey(1),
      },
    );
    expect(code).toBe(1);
    expect(err.join("\n")).toContain("ENCRYPTION_KEYS");
    expect(await t.app.services.db.selectFrom("accounts").selectAll().execute()).toEqual([]);
  });

  it("the server refuses to start when its generated key file is gone (it would make a new key over the old data)", async () => {
    await t.app.services.checkReadyToServe();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-lost-keys-"));
    try {
      const run = await runServer({ DATA_DIR: dataDir, DATABASE_URL: t.config.databaseUrl, ADMIN_TOKEN: t.config.adminToken });
      expect(run.code).toBe(1);
      expect(run.output).toContain("ENCRYPTION_KEYS: key version(s) 1 cannot decrypt");
      expect(run.output).not.toContain("is running at");
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../../app.js";
import { ConfigError, loadConfig, parseEncryptionKeys } from "../../../config.js";
import { openDatabase } from "../../../db/database.js";
import { createEncryptor } from "../../../lib/crypto/encrypt.js";
import { resolveSecrets } from "../../../secrets-file.js";
import { useTestApp } from "@test/use-test-app.js";
import { nextCode, signedInPerson, signInWithPassword } from "@test/factories.js";
import { dumpDatabase } from "@test/inspect.js";
import { assertTotpKeysConfigured } from "./mfa-key-check.js";

const t = useTestApp({}, { scope: "suite" });

/** The SQLite database file and its WAL, as bytes (empty on PostgreSQL). */
function sqliteFiles(): Buffer {
  if (t.database.dialect !== "sqlite") return Buffer.alloc(0);
  const file = t.config.databaseUrl.replace(/^sqlite:/, "");
  return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

async function factorOf(userId: string) {
  return t.app.services.db.selectFrom("mfaFactors").selectAll().where("userId", "=", userId).executeTakeFirstOrThrow();
}

/** Replaces one base64url character of a ciphertext part (0 = iv, 1 = ciphertext, 2 = tag). */
function tamper(value: string, part: number): string {
  const pieces = value.split(".");
  const target = pieces[part + 1] ?? "";
  const index = Math.floor(target.length / 2);
  const swapped = target[index] === "A" ? "B" : "A";
  pieces[part + 1] = target.slice(0, index) + swapped + target.slice(index + 1);
  return pieces.join(".");
}

describe("J1: TOTP seeds at rest", () => {
  it("J1: after enrollment the seed is nowhere in the database, as raw bytes, base32 or hex", async () => {
    const { enrollment } = await signedInPerson(t, { mfa: true });
    if (!enrollment) throw new Error("no enrollment");
    const raw = Buffer.from(enrollment.secret);
    const forms = [
      enrollment.secretBase32,
      enrollment.secretBase32.toLowerCase(),
      raw.toString("hex"),
      raw.toString("hex").toUpperCase(),
      raw.toString("base64"),
      raw.toString("base64url"),
    ];
    const dump = await dumpDatabase(t);
    for (const form of forms) expect(dump).not.toContain(form);
    const files = sqliteFiles();
    for (const form of forms) expect(files.includes(Buffer.from(form, "latin1"))).toBe(false);
    expect(files.includes(raw)).toBe(false);
    if (t.database.dialect === "sqlite") expect(files.length).toBeGreaterThan(0);
  });

  it("J1: the stored value is versioned AES-256-GCM; the same seed encrypts differently every time", async () => {
    const { user, enrollment } = await signedInPerson(t, { mfa: true });
    const stored = (await factorOf(user.id)).secretEncrypted;
    expect(stored).toMatch(/^v1\.[\w-]{16}\.[\w-]{27}\.[\w-]{22}$/);
    const { encryptor } = t.app.services;
    expect(Buffer.from(encryptor.decrypt(stored) ?? []).equals(Buffer.from(enrollment?.secret ?? []))).toBe(true);
    const again = encryptor.encrypt(enrollment?.secret ?? new Uint8Array());
    const third = encryptor.encrypt(enrollment?.secret ?? new Uint8Array());
    expect(new Set([stored, again, third]).size).toBe(3);
    expect(new Set([stored, again, third].map((v) => v.split(".")[1])).size).toBe(3);
  });

  it.each([
    ["the nonce", 0],
    ["the ciphertext", 1],
    ["the auth tag", 2],
  ])("J1: one changed character in %s fails closed: the right code is refused, nothing crashes", async (_name, part) => {
    const { user, enrollment } = await signedInPerson(t, { mfa: true });
    const secret = enrollment?.secret ?? new Uint8Array();
    const stored = (await factorOf(user.id)).secretEncrypted;
    await t.app.services.db
      .updateTable("mfaFactors")
      .set({ secretEncrypted: tamper(stored, part) })
      .where("userId", "=", user.id)
      .execute();
    const { client } = await signInWithPassword(t, user);
    const response = await client.post("/api/v1/auth/login/mfa", { code: nextCode(t, secret) });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("invalid_code");
    expect(t.logs.some((l) => l.includes("TOTP secret cannot be decrypted"))).toBe(true);
    // Restored, the same person signs in again: the failure was the tampering, nothing else.
    await t.app.services.db.updateTable("mfaFactors").set({ secretEncrypted: stored }).where("userId", "=", user.id).execute();
    const fresh = await signInWithPassword(t, user);
    expect((await fresh.client.post("/api/v1/auth/login/mfa", { code: nextCode(t, secret) })).statusCode).toBe(200);
  });

  it("J1: a ciphertext under a key version that is not configured fails closed too", async () => {
    const { user, enrollment } = await signedInPerson(t, { mfa: true });
    const stored = (await factorOf(user.id)).secretEncrypted;
    await t.app.services.db
      .updateTable("mfaFactors")
      .set({ secretEncrypted: stored.replace(/^v1\./, "v7.") })
      .where("userId", "=", user.id)
      .execute();
    const { client } = await signInWithPassword(t, user);
    expect(
      (await client.post("/api/v1/auth/login/mfa", { code: nextCode(t, enrollment?.secret ?? new Uint8Array()) })).statusCode,
    ).toBe(401);
    await t.app.services.db.updateTable("mfaFactors").set({ secretEncrypted: stored }).where("userId", "=", user.id).execute();
  });

  it("J1: the key encrypting stored seeds missing from ENCRYPTION_KEYS → the service refuses to start", async () => {
    await signedInPerson(t, { mfa: true });
    await expect(assertTotpKeysConfigured(t.app.services.mfaFactors, [1])).resolves.toBeUndefined();
    await expect(assertTotpKeysConfigured(t.app.services.mfaFactors, [2, 3])).rejects.toThrow(/key version\(s\) 1/);
    const otherKey = `2:${randomBytes(32).toString("base64")}`;
    const config = Object.freeze({ ...t.config, encryptionKeys: parseEncryptionKeys(otherKey) });
    const database = openDatabase(t.config.databaseUrl, { poolSize: 2 });
    // The app refuses to come up at all (before single sign-on reads its own encrypted keys).
    await expect(
      buildApp({
        config,
        database,
        clock: t.clock,
        webRoot: path.join(t.config.dataDir, "no-web"),
        logStream: fs.createWriteStream(os.devNull),
      }),
    ).rejects.toBeInstanceOf(ConfigError);
    try {
      // With the old key listed after the new one, it starts (and old seeds still decrypt).
      const rotated = Object.freeze({
        ...t.config,
        encryptionKeys: [...parseEncryptionKeys(otherKey), ...t.config.encryptionKeys],
      });
      await expect(
        assertTotpKeysConfigured(
          t.app.services.mfaFactors,
          rotated.encryptionKeys.map((k) => k.version),
        ),
      ).resolves.toBeUndefined();
    } finally {
      await database.close();
    }
  });

  it("J1: no key, an example key, a short or non-random key, or a malformed key file: configuration refuses", () => {
    expect(() => createEncryptor([])).toThrow();
    expect(() => loadConfig({ ENCRYPTION_KEYS: "1:base64-32-bytes" })).toThrow(ConfigError);
    expect(() => loadConfig({ ENCRYPTION_KEYS: `1:${randomBytes(16).toString("base64")}` })).toThrow(ConfigError);
    expect(() => loadConfig({ ENCRYPTION_KEYS: `1:${Buffer.alloc(32).toString("base64")}` })).toThrow(ConfigError);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-keys-"));
    try {
      fs.writeFileSync(path.join(dataDir, "encryption-keys"), "not a key\n");
      expect(() => resolveSecrets(loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN: "x".repeat(40) }))).toThrow(ConfigError);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseEncryptionKeys } from "./config.js";
import { resolveSecrets } from "./secrets-file.js";

const made: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-config-"));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
const goodKey = `1:${Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 251)).toString("base64")}`;

describe("loadConfig", () => {
  it("applies the contract's defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      publicUrl: "http://localhost:3000",
      mfaIssuer: "Connect Auth",
      sessionIdleMinutes: 60,
      sessionMaxHours: 24,
      sessionHistoryDays: 90,
      passwordMinLength: 15,
      secure: false,
      demo: false,
    });
    expect(c.databaseUrl).toMatch(/^sqlite:.*profile-center\.sqlite$/);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("reports every problem together, naming each variable", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "http",
        SESSION_IDLE_MINUTES: "-5",
        PASSWORD_MIN_LENGTH: "6",
        DATABASE_URL: "mysql://x",
        ENCRYPTION_KEYS: "1:c2hvcnQ=",
        PUBLIC_URL: "ftp://x",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    for (const name of ["PORT", "SESSION_IDLE_MINUTES", "PASSWORD_MIN_LENGTH", "DATABASE_URL", "ENCRYPTION_KEYS", "PUBLIC_URL"]) {
      expect(problems).toContain(name);
    }
  });

  it("https PUBLIC_URL turns on secure cookies and HSTS mode", () => {
    expect(loadConfig({ PUBLIC_URL: "https://profile.example.com/" })).toMatchObject({
      secure: true,
      publicUrl: "https://profile.example.com",
    });
  });

  it("J1: encryption keys must be 32 random bytes with unique versions; example and short keys are refused", () => {
    expect(parseEncryptionKeys(goodKey)[0]?.key.length).toBe(32);
    expect(() => parseEncryptionKeys("1:base64-32-bytes")).toThrow();
    expect(() => parseEncryptionKeys(`1:${Buffer.alloc(16, 1).toString("base64")}`)).toThrow(/32/);
    expect(() => parseEncryptionKeys(`1:${Buffer.alloc(32, 0).toString("base64")}`)).toThrow(/random/);
    expect(() => parseEncryptionKeys(`${goodKey},${goodKey}`)).toThrow(/unique/);
  });
});

describe("generated secrets", () => {
  it("are created on first start with mode 0600 and reused afterwards", () => {
    const dir = tmp();
    const first = resolveSecrets(loadConfig({ DATA_DIR: dir }));
    expect(first.generated).toHaveLength(2);
    for (const file of first.generated) expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = resolveSecrets(loadConfig({ DATA_DIR: dir }));
    expect(second.generated).toHaveLength(0);
    expect(second.config.adminToken).toBe(first.config.adminToken);
    expect(Buffer.from(second.config.encryptionKeys[0]!.key)).toEqual(Buffer.from(first.config.encryptionKeys[0]!.key));
  });

  it("a malformed generated key is an error, never silently replaced", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "encryption-keys"), "1:not-a-key\n", { mode: 0o600 });
    expect(() => resolveSecrets(loadConfig({ DATA_DIR: dir }))).toThrow(ConfigError);
    expect(fs.readFileSync(path.join(dir, "encryption-keys"), "utf8")).toBe("1:not-a-key\n");
  });

  it("configured values win over files", () => {
    const dir = tmp();
    const { config, generated } = resolveSecrets(
      loadConfig({ DATA_DIR: dir, ENCRYPTION_KEYS: goodKey, ADMIN_TOKEN: "x".repeat(40) }),
    );
    expect(generated).toEqual([]);
    expect(config.adminToken).toBe("x".repeat(40));
  });
});

describe("the process", () => {
  it("refuses to start with a message naming every bad variable", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/server/main.ts"], {
      env: { ...process.env, PORT: "nope", MFA_ISSUER: "a:b", DATA_DIR: tmp(), DATABASE_URL: "" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("PORT");
    expect(r.stderr).toContain("MFA_ISSUER");
    expect(r.stderr).toMatch(/did not start/);
  });
});

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, parseEncryptionKeys, type Config, type ResolvedConfig } from "./config.js";

const KEYS_FILE = "encryption-keys";
const TOKEN_FILE = "admin-token";

/** Reads a generated secret, or creates it (mode 0600) on first start. A malformed file is an error, never replaced. */
function readOrCreate(dir: string, name: string, generate: () => string): { value: string; created: boolean } {
  const file = path.join(dir, name);
  try {
    return { value: fs.readFileSync(file, "utf8").trim(), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = generate();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
  return { value, created: true };
}

/**
 * Fills ENCRYPTION_KEYS and ADMIN_TOKEN from DATA_DIR when they were not configured: generated on
 * the first start, reused afterwards. Returns which files were created so main can say so.
 */
export function resolveSecrets(config: Readonly<Config>): { config: Readonly<ResolvedConfig>; generated: string[] } {
  const generated: string[] = [];
  const problems: string[] = [];
  let encryptionKeys = config.encryptionKeys;
  if (!encryptionKeys) {
    const { value, created } = readOrCreate(config.dataDir, KEYS_FILE, () => `1:${randomBytes(32).toString("base64")}`);
    if (created) generated.push(path.join(config.dataDir, KEYS_FILE));
    try {
      encryptionKeys = parseEncryptionKeys(value);
    } catch (error) {
      problems.push(
        `ENCRYPTION_KEYS: the generated file ${path.join(config.dataDir, KEYS_FILE)} is malformed (${(error as Error).message}); fix or remove it`,
      );
    }
  }
  let adminToken = config.adminToken;
  if (!adminToken) {
    const { value, created } = readOrCreate(config.dataDir, TOKEN_FILE, () => randomBytes(32).toString("base64url"));
    if (created) generated.push(path.join(config.dataDir, TOKEN_FILE));
    if (value.length < 32)
      problems.push(`ADMIN_TOKEN: the generated file ${path.join(config.dataDir, TOKEN_FILE)} is malformed; fix or remove it`);
    adminToken = value;
  }
  if (problems.length > 0 || !encryptionKeys) throw new ConfigError(problems);
  return { config: Object.freeze({ ...config, encryptionKeys, adminToken }), generated };
}

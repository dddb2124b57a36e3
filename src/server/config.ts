import net from "node:net";
import path from "node:path";
import * as z from "zod";
import { DEFAULT_MFA_ISSUER } from "../contracts/security.js";
import type { EncryptionKey } from "./lib/crypto/encrypt.js";

const KEY_EXAMPLE = "base64-32-bytes";

/**
 * `ENCRYPTION_KEYS="2:<base64>,1:<base64>"`: 32 random bytes each; the first encrypts, all decrypt.
 * Generate one: `openssl rand -base64 32`.
 */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const keys = value.split(",").map((part, index) => {
    const match = /^(\d{1,6}):([A-Za-z0-9+/_-]+={0,2})$/.exec(part.trim());
    if (!match) throw new Error(`entry ${index + 1} must look like <version>:<base64 of 32 bytes>`);
    const key = Buffer.from(match[2]!, "base64");
    if (match[2] === KEY_EXAMPLE || key.length !== 32)
      throw new Error(`key version ${match[1]} must be exactly 32 random bytes, base64-encoded`);
    if (key.every((b) => b === key[0])) throw new Error(`key version ${match[1]} is not random`);
    return { version: Number(match[1]), key: new Uint8Array(key) };
  });
  const versions = new Set(keys.map((k) => k.version));
  if (versions.size !== keys.length) throw new Error("key versions must be unique");
  return keys;
}

const intVar = (name: string, def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `${name} must be an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const boolVar = (def: boolean) =>
  z
    .enum(["", "0", "1", "true", "false", "yes", "no", "on", "off"])
    .optional()
    .transform((v) => (v === undefined || v === "" ? def : ["1", "true", "yes", "on"].includes(v)));

const envSchema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).optional().default("development"),
  /** TCP port. */
  PORT: intVar("PORT", 3000, 0, 65535),
  /** Interface to listen on. */
  HOST: z.string().min(1).optional().default("127.0.0.1"),
  /** The address people use, e.g. https://profile.example.com; https turns on Secure/__Host- cookies and HSTS. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The SQLite file, generated keys and the mail outbox live here. */
  DATA_DIR: z.string().min(1).optional().default("./data"),
  /** `postgres://…` selects PostgreSQL; unset: SQLite file `DATA_DIR/profile-center.sqlite`. */
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:|file:)/, "must start with postgres://, sqlite: or file:")
    .optional(),
  /** Bearer token of the operator API, ≥ 32 characters. Generate: `openssl rand -base64 32`. Unset: generated into DATA_DIR. */
  ADMIN_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  /** `"2:<b64>,1:<b64>"` — see parseEncryptionKeys. Unset: generated into DATA_DIR. */
  ENCRYPTION_KEYS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      try {
        return parseEncryptionKeys(v);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** smtp://user:pass@host:587 or smtps://…; unset: emails are written to DATA_DIR/outbox/*.eml. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
    .optional(),
  /** The sender of every mail: `no-reply@example.com` or `Profile Center <no-reply@example.com>`. */
  MAIL_FROM: z
    .string()
    .refine(isMailAddress, "must be an email address, optionally with a name: Name <no-reply@example.com>")
    .optional()
    .default("Profile Center <no-reply@localhost>"),
  /** Issuer shown in authenticator apps. */
  MFA_ISSUER: z
    .string()
    .min(1)
    .max(64)
    .refine((s) => !s.includes(":"), "must not contain a colon")
    .optional()
    .default(DEFAULT_MFA_ISSUER),
  SESSION_IDLE_MINUTES: intVar("SESSION_IDLE_MINUTES", 60, 1, 24 * 60),
  SESSION_MAX_HOURS: intVar("SESSION_MAX_HOURS", 24, 1, 24 * 30),
  SESSION_HISTORY_DAYS: intVar("SESSION_HISTORY_DAYS", 90, 1, 3650),
  /** Days security events are kept; the hourly pruning job deletes older ones. */
  EVENTS_RETENTION_DAYS: intVar("EVENTS_RETENTION_DAYS", 400, 1, 36500),
  /** Minutes after a sign-in during which sensitive calls need no password again. */
  REAUTH_MAX_AGE_MINUTES: intVar("REAUTH_MAX_AGE_MINUTES", 10, 1, 24 * 60),
  PASSWORD_MIN_LENGTH: intVar("PASSWORD_MIN_LENGTH", 15, 8, 256),
  /** Path of a MaxMind-format .mmdb file for session locations. */
  GEOIP_DB: z.string().min(1).optional(),
  /** Seed the demo workspace into an empty database. */
  DEMO: boolVar(false),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional().default("info"),
  /** Believe X-Forwarded-For: `true`, a hop count, or a comma-separated list of proxy addresses/CIDRs. */
  TRUST_PROXY: z
    .string()
    .optional()
    .default("false")
    .refine(
      isTrustProxyValue,
      "must be true, false, a hop count, or a comma-separated list of proxy addresses or CIDR ranges (e.g. 10.0.0.0/8, loopback)",
    ),
  /** Bearer token `/metrics` asks for (≥ 16 characters); unset: no token. Generate: `openssl rand -base64 24`. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Serve `/metrics` on this port (on HOST) instead of the app's port. */
  METRICS_PORT: intVar("METRICS_PORT", 0, 1, 65535),
  /** How long a starting node waits for its database (PostgreSQL starting beside it) before giving up. */
  DATABASE_WAIT_SECONDS: intVar("DATABASE_WAIT_SECONDS", 30, 0, 3600),
});

/** `local@domain`, or `Name <local@domain>` (the name optionally quoted); no line breaks (header injection). */
export function isMailAddress(value: string): boolean {
  const address = '[^\\s<>@",;:]+@[^\\s<>@",;:]+';
  return new RegExp(`^(?:${address}|(?:"[^"\\r\\n]*"|[^"<>@\\r\\n]*)\\s*<${address}>)$`).test(value.trim());
}

/** Names proxy-addr knows for address ranges. */
const PROXY_RANGE_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** An address, a CIDR range (`10.0.0.0/8`, `fd00::/8`) or a named range. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry) || net.isIP(entry) !== 0) return true;
  const match = /^([^/]+)\/(\d{1,3})$/.exec(entry);
  if (!match) return false;
  const family = net.isIP(match[1]!);
  const bits = Number(match[2]);
  return family !== 0 && bits <= (family === 4 ? 32 : 128);
}

/** What TRUST_PROXY may hold: a boolean, a hop count, or addresses and ranges of the proxies. */
function isTrustProxyValue(value: string): boolean {
  if (["", "true", "false", "0"].includes(value) || /^\d+$/.test(value)) return true;
  const entries = value.split(",").map((s) => s.trim());
  return entries.length > 0 && entries.every(isProxyAddress);
}

/** The product's configuration, parsed once at boot. */
export interface Config {
  nodeEnv: "production" | "development" | "test";
  port: number;
  host: string;
  publicUrl: string;
  /** True when PUBLIC_URL was set explicitly (only then is one origin the only own origin). */
  publicUrlExplicit: boolean;
  secure: boolean;
  dataDir: string;
  databaseUrl: string;
  adminToken: string | undefined;
  encryptionKeys: EncryptionKey[] | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  mfaIssuer: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  sessionHistoryDays: number;
  eventsRetentionDays: number;
  reauthMaxAgeMinutes: number;
  passwordMinLength: number;
  geoipDb: string | undefined;
  demo: boolean;
  logLevel: string;
  trustProxy: boolean | number | string[];
  /** Seconds a starting node retries its database before it gives up. */
  databaseWaitSeconds: number;
  metricsToken: string | undefined;
  /** Its own port for /metrics; null: the app's port. */
  metricsPort: number | null;
}

/** Thrown with every configuration problem at once; main prints it and exits. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === "" || value === "false" || value === "0") return false;
  if (value === "true") return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The embedded SQLite database of a data folder (the default when `DATABASE_URL` is unset). */
export function sqliteFileIn(dataDir: string): string {
  return path.join(dataDir, "profile-center.sqlite");
}

/** Parses the environment; reports all problems together (ConfigError). Pure: tests pass literal objects. */
export function loadConfig(env: Record<string, string | undefined>, defaults: { demo?: boolean } = {}): Readonly<Config> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  if (defaults.demo && cleaned.DEMO === undefined) cleaned.DEMO = "1";
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${String(i.path[0] ?? "?")}: ${i.message}`));
  }
  const e = result.data;
  if (e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) throw new ConfigError(["METRICS_PORT: must differ from PORT"]);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  const dataDir = path.resolve(e.DATA_DIR);
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    publicUrlExplicit: e.PUBLIC_URL !== undefined,
    secure: publicUrl.startsWith("https://"),
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${sqliteFileIn(dataDir)}`,
    adminToken: e.ADMIN_TOKEN,
    encryptionKeys: e.ENCRYPTION_KEYS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mfaIssuer: e.MFA_ISSUER,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    sessionHistoryDays: e.SESSION_HISTORY_DAYS,
    eventsRetentionDays: e.EVENTS_RETENTION_DAYS,
    reauthMaxAgeMinutes: e.REAUTH_MAX_AGE_MINUTES,
    passwordMinLength: e.PASSWORD_MIN_LENGTH,
    geoipDb: e.GEOIP_DB,
    demo: e.DEMO,
    logLevel: e.LOG_LEVEL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    databaseWaitSeconds: e.DATABASE_WAIT_SECONDS,
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT === 0 ? null : e.METRICS_PORT,
  });
}

/** A config with its generated secrets resolved: what the app needs to run. */
export interface ResolvedConfig extends Config {
  adminToken: string;
  encryptionKeys: EncryptionKey[];
}

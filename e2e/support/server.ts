import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";

export interface RunningServer {
  url: string;
  port: number;
  adminToken: string;
  dataDir: string;
  /** Everything the server printed so far (stdout + stderr). */
  output(): string;
  /** Calls the operator API with the admin bearer token. */
  admin(method: string, urlPath: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** Mails written to the outbox folder, oldest first. */
  mails(): Array<{ to: string; subject: string; raw: string }>;
  /**
   * The newest mail to `to` whose subject matches (and whose text has `containing`), waiting for
   * it: mails are sent after the answer, and an earlier mail with the same subject must not
   * answer for the one an action sends.
   */
  waitForMail(
    to: string,
    subject?: RegExp,
    options?: { containing?: string; timeoutMs?: number },
  ): Promise<{ to: string; subject: string; raw: string }>;
  stop(): Promise<void>;
}

/** Provisions a person through the operator API (`POST /admin/users`): it must answer 201. */
export async function createPerson(
  server: RunningServer,
  person: { email: string; firstName: string; lastName: string; password: string },
): Promise<void> {
  expect((await server.admin("POST", "/admin/users", person)).status).toBe(201);
}

export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Decodes a quoted-printable .eml body enough to read links and codes. */
export function decodeMail(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Starts the real built server (`dist/server/main.js`, NODE_ENV=production) on a free loopback
 * port with a fresh DATA_DIR and SQLite (or `env.DATABASE_URL`), and waits for /healthz.
 */
export async function startServer(
  env: Record<string, string> = {},
  options: { localhost?: boolean } = {},
): Promise<RunningServer> {
  const main = path.join(ROOT, "dist/server/main.js");
  if (!fs.existsSync(main)) throw new Error("dist/server/main.js is missing: run `npm run build` first");
  // A caller that needs the URL before start (PUBLIC_URL) picks the port itself.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  // WebAuthn accepts no IP address as the relying party: passkey journeys use http://localhost:PORT.
  const publicUrl = options.localhost ? { PUBLIC_URL: `http://localhost:${port}` } : {};
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-e2e-"));
  const adminToken = env.ADMIN_TOKEN ?? `e2e-admin-token-${Math.random().toString(36).slice(2)}-0123456789abcdef`;
  let out = "";
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      ADMIN_TOKEN: adminToken,
      DEMO: "0",
      LOG_LEVEL: "warn",
      ...publicUrl,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok && out.includes("running at")) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start in 30 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const outbox = path.join(dataDir, "outbox");
  const pageUrl = options.localhost ? `http://localhost:${port}` : url;
  const mails = () =>
    fs.existsSync(outbox)
      ? fs
          .readdirSync(outbox)
          .sort()
          .map((f) => {
            const raw = decodeMail(fs.readFileSync(path.join(outbox, f), "utf8")).replace(/\r?\n[ \t]+/g, " ");
            const header = (name: string) => new RegExp(`^${name}: (.*)$`, "mi").exec(raw)?.[1]?.trim() ?? "";
            return { to: header("To"), subject: header("Subject"), raw };
          })
      : [];
  return {
    url: pageUrl,
    port,
    adminToken,
    dataDir,
    output: () => out,
    admin: async (method, urlPath, body) => {
      const res = await fetch(`${url}/api/v1${urlPath}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
    },
    mails,
    waitForMail: async (to, subject, { containing, timeoutMs = 15_000 } = {}) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = mails()
          .reverse()
          .find((m) => m.to.includes(to) && (!subject || subject.test(m.subject)) && (!containing || m.raw.includes(containing)));
        if (found) return found;
        if (Date.now() > until)
          throw new Error(
            `no mail to ${to} matching ${String(subject)}; have: ${mails()
              .map((m) => `${m.to}: ${m.subject}`)
              .join("; ")}`,
          );
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

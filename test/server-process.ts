import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/*
 * The real server in a process of its own, started from the sources (tsx), for the tests that
 * must kill it: `kill -9` cannot be done to an app inside the test's own process.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface ServerProcess {
  origin: string;
  adminToken: string;
  /** ENCRYPTION_KEYS it runs with: a node started again on the same database needs the same. */
  encryptionKeys: string;
  child: ChildProcess;
  /** SIGKILL, and wait until the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (then SIGKILL) when still running. */
  stop(): Promise<void>;
  log(): string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Starts `src/server/main.ts` on `databaseUrl` with a fresh DATA_DIR and waits until `waitFor`
 * (default /readyz) answers 200; `uid`/`gid` run it as another user (the test runs as root). With
 * new encryption keys unless `encryptionKeys` names the ones the database was made with.
 */
export async function startServerProcess(options: {
  databaseUrl: string;
  dataDir: string;
  encryptionKeys?: string;
  waitFor?: string;
  uid?: number;
  gid?: number;
}): Promise<ServerProcess> {
  const port = await freePort();
  const encryptionKeys = options.encryptionKeys ?? `1:${randomBytes(32).toString("base64")}`;
  const adminToken = randomBytes(32).toString("base64url");
  const logFile = path.join(options.dataDir, "server.log");
  const log = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "src/server/main.ts")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: options.dataDir,
      DATABASE_URL: options.databaseUrl,
      DEMO: "0",
      ENCRYPTION_KEYS: encryptionKeys,
      ADMIN_TOKEN: adminToken,
    },
    stdio: ["ignore", log, log],
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  fs.closeSync(log);
  const origin = `http://127.0.0.1:${port}`;
  const readLog = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "");
  const server: ServerProcess = {
    origin,
    adminToken,
    encryptionKeys,
    child,
    log: readLog,
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited(child);
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited before it was ready:\n${readLog()}`);
    try {
      const url = `${origin}${options.waitFor ?? "/readyz"}`;
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.kill9();
  throw new Error(`the server was not ready within 60 s:\n${readLog()}`);
}

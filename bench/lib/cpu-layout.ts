import { spawnSync } from "node:child_process";
import os from "node:os";

/*
 * Where the processes of a run execute. On a shared 2-core machine the scheduler otherwise puts
 * the server and the load generator on the same core at times, and the same build measures very
 * differently from run to run. With `taskset` (Linux) and at least 2 cores, the API scenarios (and
 * their floors) run with the server's event loop on its own core(s) and the load generator on the
 * last core; the floor and the product get the same placement, so their ratio compares like with
 * like. Sign-in compares with argon2id on ALL cores, so there the server's threads and the load
 * generator may use every core.
 */

const cpus = os.availableParallelism();
const hasTaskset = process.platform === "linux" && cpus >= 2 && spawnSync("taskset", ["-V"]).status === 0;
const ALL = `0-${cpus - 1}`;
const SERVER = cpus > 2 ? `0-${cpus - 2}` : "0";
const LOAD = String(cpus - 1);

/** One line for the report header. */
export function describeLayout(): string {
  return hasTaskset
    ? `API scenarios: server on CPU ${SERVER}, load generator on CPU ${LOAD} (taskset)`
    : "processes unpinned (no taskset or a single core)";
}

function taskset(args: string[]): void {
  if (!hasTaskset) return;
  const result = spawnSync("taskset", args, { stdio: "ignore" });
  if (result.status !== 0) console.warn(`  (taskset ${args.join(" ")} failed; placement unchanged)`);
}

/** A server measured against the Fastify floors: every thread on the server CPUs. */
export function placeServer(pid: number): void {
  taskset(["-a", "-p", "-c", SERVER, String(pid)]);
}

/**
 * A server measured against argon2id on all cores (sign-in, and GET /me during a sign-in flood):
 * every thread may use every core, as the floor's hashes do. (Pinning only the event loop would
 * pin the argon2id workers it starts later, too: threads inherit their creator's placement.)
 */
export function placeHashingServer(pid: number): void {
  taskset(["-a", "-p", "-c", ALL, String(pid)]);
}

/** A load generator: on the last core, away from the server's event loop. */
export function placeLoad(pid: number): void {
  taskset(["-a", "-p", "-c", LOAD, String(pid)]);
}

import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

/*
 * Processes the bench starts, tracked by PID so that every one of them is stopped (and only
 * them), even when the bench fails or is interrupted; and what /proc tells about them.
 */

/**
 * The Node.js flags `npm start` runs the server with (scripts/server-node-flags.json). The floor
 * servers get them too, so a ratio compares code, not runtime settings.
 */
export const SERVER_NODE_FLAGS: readonly string[] = (
  JSON.parse(fs.readFileSync(new URL("../../scripts/server-node-flags.json", import.meta.url), "utf8")) as { flags: string[] }
).flags;

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture we run on (getconf CLK_TCK)

const started = new Set<ChildProcess>();

/** Registers a child so `stopAll` (and the exit handlers) will stop it by its PID. */
export function track(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once("exit", () => started.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(child.pid, "SIGTERM");
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGKILL");
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops every process this bench started and that still runs. */
export async function stopAll(): Promise<void> {
  await Promise.all([...started].map((child) => stopProcess(child, 3_000).catch(() => undefined)));
}

let handlersInstalled = false;
/** On Ctrl-C or an uncaught failure, stop our children before leaving. */
export function installExitHandlers(cleanup: () => Promise<void>): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const bail = (code: number) => {
    void stopAll()
      .then(cleanup)
      .finally(() => process.exit(code));
  };
  process.on("SIGINT", () => bail(130));
  process.on("SIGTERM", () => bail(143));
  process.on("exit", () => {
    for (const child of started) if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGKILL");
  });
}

/** Starts a Node program with exactly the given environment; its output goes to `logFile`. */
export function spawnNode(args: string[], env: Record<string, string>, logFile: string): ChildProcess {
  const log = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", log, log] });
  fs.closeSync(log);
  return track(child);
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Polls `url` until it answers 200; fails early when the process exits, or after `timeoutMs`. */
export async function waitUntilReady(url: string, child: ChildProcess, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the server exited (code ${child.exitCode}) before it was ready; its log:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer ${url} within ${timeoutMs / 1000} s; its log:\n${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "(no log)";
  }
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces), so split after its closing paren.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** CPU seconds of several processes together; unreadable ones (gone, not ours) count 0. */
export function cpuSecondsOf(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuSeconds(pid);
    } catch {
      // the process ended or /proc is not readable for it
    }
  }
  return total;
}

/** Resident and peak resident memory in MiB, from /proc/<pid>/status (VmRSS, VmHWM). */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

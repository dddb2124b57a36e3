import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildMessage, LoadResult, LoadSpec } from "./load-spec.js";
import { cpuSeconds, cpuSecondsOf, memoryMiB, stopProcess, track } from "./proc.js";
import { placeLoad } from "./cpu-layout.js";
import type { PerfLayers, PerfRecording } from "./perf-record.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, "load-child.ts");
const ROOT = path.resolve(here, "../..");

/** A load run in progress in its own process. */
export interface LoadHandle {
  /** Resolves when the warm-up is over and the measured part starts. */
  measuring: Promise<void>;
  done: Promise<LoadResult>;
  /** Ends the measured part early (the result still arrives through `done`). */
  stop(): void;
  child: ChildProcess;
}

/** Forks a load child (autocannon) and hands it the spec. */
export function startLoad(spec: LoadSpec): LoadHandle {
  const child = track(
    fork(CHILD, [], { cwd: ROOT, execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }),
  );
  if (child.pid !== undefined && spec.placement !== "free") placeLoad(child.pid);
  let onMeasuring: () => void = () => undefined;
  let onFailure: (error: Error) => void = () => undefined;
  const measuring = new Promise<void>((resolve, reject) => {
    onMeasuring = resolve;
    onFailure = reject;
  });
  measuring.catch(() => undefined); // the same failure also rejects `done`, which callers await
  const done = new Promise<LoadResult>((resolve, reject) => {
    const fail = (error: Error) => {
      onFailure(error);
      reject(error);
    };
    child.on("message", (message: ChildMessage) => {
      if (message.type === "measuring") onMeasuring();
      else if (message.type === "done") resolve(message.result);
      else if (message.type === "failed") fail(new Error(`load generator: ${message.message}`));
    });
    child.once("exit", (code) => fail(new Error(`load generator exited (code ${code}) without a result`)));
  });
  // The process is not needed after its answer.
  void done.finally(() => stopProcess(child, 2_000)).catch(() => undefined);
  child.send({ type: "run", spec });
  return { measuring, done, stop: () => child.connected && child.send({ type: "stop" }), child };
}

function perPid(pids: number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, cpuSecondsOf([pid])]));
}

/** A load result with what the server spent on it. */
export interface Measured extends LoadResult {
  connections: number;
  /** Server process CPU time (user + system, all threads) per successful request, µs. */
  cpuUsPerReq: number | null;
  /** Server CPU use during the measured part, in cores (1.0 = one core busy). */
  serverCores: number | null;
  /** PostgreSQL backends' CPU per request, µs (PostgreSQL runs only; null when unreadable). */
  dbCpuUsPerReq: number | null;
  rssMiB: number | null;
  peakRssMiB: number | null;
  /** `--perf`: where the server's CPU went during the measured part, by layer. */
  perf?: PerfLayers;
}

/** What is measured besides the load: the server's PID and, on PostgreSQL, its backends' PIDs. */
export interface Target {
  pid: number;
  dbPids?: () => Promise<number[]>;
  /** `--perf`: starts recording the server (Linux perf) for the measured part of the load labelled so. */
  perf?: (label: string) => PerfRecording;
}

/** Runs one load against the target and reads its CPU before and after the measured part. */
export async function measure(spec: LoadSpec, target: Target): Promise<Measured> {
  const handle = startLoad(spec);
  await handle.measuring;
  const db0 = perPid((await target.dbPids?.()) ?? []);
  const cpu0 = cpuSeconds(target.pid);
  const t0 = process.hrtime.bigint();
  const recording = target.perf?.(`${spec.method} ${spec.path}`);
  const result = await handle.done;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = cpuSeconds(target.pid) - cpu0;
  const perf = await recording?.stop(result.ok);
  // Backends come and go with the pool: count those alive at the end from their start (or birth).
  const dbPids = (await target.dbPids?.()) ?? [];
  const db = dbPids.reduce((sum, pid) => sum + Math.max(0, cpuSecondsOf([pid]) - (db0.get(pid) ?? 0)), 0);
  const mem = memoryMiB(target.pid);
  const perReq = (s: number) => (result.ok > 0 ? (s / result.ok) * 1e6 : null);
  return {
    ...result,
    connections: spec.connections,
    cpuUsPerReq: perReq(cpu),
    serverCores: cpu / seconds,
    dbCpuUsPerReq: dbPids.length > 0 ? perReq(db) : null,
    rssMiB: mem.rss,
    peakRssMiB: mem.peak,
    ...(perf ? { perf } : {}),
  };
}

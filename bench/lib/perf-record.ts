import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ownerOf } from "./profile-summary.js";
import { num, renderTable } from "./table.js";

/*
 * `npm run bench -- --perf`: Linux `perf` samples the product server (every thread, kernel
 * included) during each scenario's measured part, and each sample goes to one layer by its call
 * stack: the kernel by system call, SQLite, better-sqlite3 turning rows into JavaScript values,
 * the garbage collector, then the JavaScript package that was running. The V8 profile
 * (`--profile`) cannot see the kernel, and counts native work in the JavaScript function that
 * called it (SQLite and the row building in one "run", the whole TCP send path in "writev").
 *
 * The server runs with `--perf-basic-prof` so perf can name JIT-compiled functions.
 */

/** One frame of a sampled stack, leaf first: the symbol and the binary (or `[kernel.kallsyms]`, `[JIT] tid N`). */
export interface PerfFrame {
  sym: string;
  dso: string;
}

export interface PerfSample {
  /** On-CPU time the sample stands for, ns (perf's period). */
  ns: number;
  stack: PerfFrame[];
}

/** `perf script` text → samples (a header line per sample, then one indented line per frame). */
export function parsePerfScript(text: string): PerfSample[] {
  const samples: PerfSample[] = [];
  let current: PerfSample | undefined;
  for (const line of text.split("\n")) {
    if (line.trim() === "") {
      current = undefined;
      continue;
    }
    if (!/^\s/.test(line)) {
      const period = /\s(\d+)\s+[\w-]+(?::\w+)*:\s*$/.exec(line);
      current = { ns: period ? Number(period[1]) : 0, stack: [] };
      samples.push(current);
      continue;
    }
    const frame = /^\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$/.exec(line);
    if (frame && current) current.stack.push({ sym: frame[1]!.replace(/\+0x[0-9a-f]+$/, ""), dso: frame[2]! });
  }
  return samples;
}

const KERNEL_CALLS: Array<[RegExp, string]> = [
  [/sys_writev|do_writev|sys_sendmsg|sys_write\b|ksys_write/, "kernel: send (writev, TCP, loopback delivery)"],
  [/sys_read|ksys_read|sys_recv/, "kernel: receive (read)"],
  [/fcntl/, "kernel: SQLite file locks (fcntl)"],
  [/epoll/, "kernel: epoll"],
  [/futex/, "kernel: futex (threads)"],
];

const GC = /Heap::|Scavenge|MarkCompact|Sweeper|ConcurrentMarking|IncrementalMarking|GCTracer|MemoryAllocator/;
const ROW_BUILDING = /^Data::/;

/**
 * The layer of a JIT frame (`JS:*name file:line:column`, as `--perf-basic-prof` names it): its
 * owner as the V8 profile summary reads one (profile-summary.ts), grouped by what it does.
 */
function jsLayer(sym: string): string {
  const frame = /^JS:[*~^+]?(\S*)\s+(.*):(\d+):\d+$/.exec(sym);
  // `new Function` code has no file: fast-json-stringify's writers, our row readers (hot-query.ts).
  if (!frame?.[2]) return frame ? "JS: generated (JSON writers, row readers)" : "JS: other";
  const owner = ownerOf({ functionName: frame[1]!, url: frame[2], lineNumber: Number(frame[3]) });
  if (owner === "fast-json-stringify") return "JSON writing (fast-json-stringify)";
  if (owner === "fastify" || owner.startsWith("@fastify/") || owner === "find-my-way") return "Fastify and its plugins";
  if (owner.startsWith("ours: server/")) return "ours (dist/server)";
  if (owner.startsWith("node:")) return "Node.js (HTTP, streams, timers)";
  return owner.startsWith("/") || owner.startsWith("file:") ? "JS: other" : `JS: ${owner}`;
}

/**
 * The layer of one sample, from its stack (leaf first): the kernel by the system call it serves;
 * better-sqlite3's row building (values and arrays, which SQLite's own time is not); SQLite; the
 * garbage collector; else the innermost JavaScript frame's package (V8 builtins and runtime
 * count in the JavaScript that called them); else Node.js native code.
 */
export function layerOf(stack: PerfFrame[]): string {
  const leaf = stack[0];
  if (!leaf) return "unknown";
  if (leaf.dso.includes("kernel")) {
    for (const [pattern, layer] of KERNEL_CALLS)
      if (stack.some((f) => f.dso.includes("kernel") && pattern.test(f.sym))) return layer;
    return "kernel: other (interrupts, scheduling)";
  }
  // The innermost frame in the better-sqlite3 addon (which links SQLite in): its row building
  // (`Data::…`, or V8 work the addon's C++ asked for: values, arrays) or SQLite itself (and the
  // C library under it).
  const addon = stack.find((f) => f.dso.includes("better_sqlite3"));
  if (addon) {
    const glueCallingV8 = addon.sym.includes("::") && addon !== leaf && !/libc/.test(leaf.dso);
    return ROW_BUILDING.test(addon.sym) || glueCallingV8
      ? "better-sqlite3: rows into JS values"
      : "SQLite (queries, b-trees, page cache)";
  }
  const isJs = (f: PerfFrame) => f.sym.startsWith("JS:") || f.dso.startsWith("[JIT]");
  const jsAt = stack.findIndex(isJs);
  if (stack.slice(0, jsAt < 0 ? undefined : jsAt).some((f) => GC.test(f.sym))) return "V8 garbage collector";
  if (jsAt >= 0) return jsLayer(stack[jsAt]!.sym);
  return "Node.js native (llhttp, libuv, V8 runtime)";
}

/** ns per layer over the samples. */
export function layerTimes(samples: PerfSample[]): Map<string, number> {
  const byLayer = new Map<string, number>();
  for (const sample of samples) {
    const layer = layerOf(sample.stack);
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + sample.ns);
  }
  return byLayer;
}

/** Whether `perf` can be run here (it may be missing, or forbidden by perf_event_paranoid). */
export function perfProblem(): string | undefined {
  const probe = spawnSync("perf", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return "--perf needs Linux perf (Debian: apt-get install -y linux-perf)";
  return undefined;
}

/** One scenario's samples, per request. */
export interface PerfLayers {
  scenario: string;
  requests: number;
  /** µs of server CPU per request, by layer. */
  usPerRequest: Record<string, number>;
}

/** Records the server while a scenario is measured; `stop` reads the samples and deletes the recording. */
export interface PerfRecording {
  stop(requests: number): Promise<PerfLayers>;
}

/** Starts `perf record` on the server's process (all threads, call stacks). */
export function startPerfRecording(pid: number, scenario: string, dir: string): PerfRecording {
  const file = path.join(dir, `${scenario.replace(/[^\w.-]+/g, "_")}-${Date.now()}.perf.data`);
  const child: ChildProcess = spawn("perf", ["record", "-F", "1999", "-g", "-p", String(pid), "-o", file, "-q"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    async stop(requests) {
      child.kill("SIGINT");
      await exited;
      const script = spawnSync("perf", ["script", "-i", file], { encoding: "utf8", maxBuffer: 1 << 30 });
      fs.rmSync(file, { force: true });
      if (script.status !== 0) throw new Error(`perf failed: ${(stderr || script.stderr).trim().slice(0, 400)}`);
      const usPerRequest: Record<string, number> = {};
      for (const [layer, ns] of layerTimes(parsePerfScript(script.stdout)))
        usPerRequest[layer] = requests > 0 ? ns / 1000 / requests : 0;
      return { scenario, requests, usPerRequest };
    },
  };
}

/** The layers of every recorded scenario side by side, µs per request, heaviest layers first. */
export function renderPerfLayers(runs: Array<PerfLayers & { dialect: string }>): string {
  if (runs.length === 0) return "";
  const layers = new Map<string, number>();
  for (const run of runs)
    for (const [layer, us] of Object.entries(run.usPerRequest)) layers.set(layer, (layers.get(layer) ?? 0) + us);
  const order = [...layers].sort((a, b) => b[1] - a[1]).map(([layer]) => layer);
  const total = (run: PerfLayers) => Object.values(run.usPerRequest).reduce((sum, us) => sum + us, 0);
  const rows = [
    ...order.map((layer) => [layer, ...runs.map((run) => num(run.usPerRequest[layer] ?? 0, 1))]),
    ["total (sampled on-CPU time)", ...runs.map((run) => num(total(run), 1))],
  ];
  return [
    "Where the server's CPU went (Linux perf, µs per request; every thread of the server process, kernel included; the server ran\n" +
      "with --perf-basic-prof. On PostgreSQL the kernel's send includes the queries to it; its backends' own CPU is the PG CPU column.)",
    renderTable(["layer", ...runs.map((run) => `${run.dialect} ${run.scenario}`)], rows),
  ].join("\n");
}

import fs from "node:fs";
import path from "node:path";
import { renderTable } from "./table.js";

/*
 * `npm run bench -- --profile`: the product server runs with `node --cpu-prof`, and each profile
 * is summarised here: where the server's busy time went, by function and by package, as shares
 * of the time it was not idle (a flame graph: open the .cpuprofile in Chrome DevTools'
 * Performance panel or https://www.speedscope.app).
 */

/** The parts of V8's .cpuprofile format read here. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

type Frame = CpuProfile["nodes"][number]["callFrame"];

const IDLE = "(idle)";

/** Where a frame's code lives: a package, a file of ours under dist/, a Node.js module, or a V8 pseudo-frame. */
export function ownerOf(frame: Frame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/dist\/(.+)$/.exec(url);
  if (ours) return `ours: ${ours[1]}`;
  return url.replace(/^file:\/\//, "");
}

function nameOf(frame: Frame): string {
  const where = ownerOf(frame);
  const name = frame.functionName || "(anonymous)";
  return frame.url ? `${name} (${where}:${frame.lineNumber + 1})` : name;
}

/** Self time per function and per owner, as shares of the busy (non-idle) time; the busy time in ms. */
export function selfTimes(profile: CpuProfile): {
  busyMs: number;
  byFunction: Map<string, number>;
  byOwner: Map<string, number>;
} {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)?.callFrame;
    const delta = profile.timeDeltas[i] ?? 0;
    if (!frame || frame.functionName === IDLE) return;
    busy += delta;
    const name = nameOf(frame);
    byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
    const owner = ownerOf(frame);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + delta);
  });
  const share = (map: Map<string, number>) => new Map([...map].map(([key, us]) => [key, busy > 0 ? us / busy : 0]));
  return { busyMs: busy / 1000, byFunction: share(byFunction), byOwner: share(byOwner) };
}

function topRows(shares: Map<string, number>, top: number): string[][] {
  return [...shares]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, value]) => [key, `${(value * 100).toFixed(1)}%`]);
}

/** The text summary of one profile. */
export function summarizeProfile(profile: CpuProfile, top = 15): string {
  const { busyMs, byFunction, byOwner } = selfTimes(profile);
  return [
    `  busy ${Math.round(busyMs).toLocaleString("en-US")} ms (all scenarios of this server; idle left out). Native work counts in the` +
      " JS function that called it: SQLite in the hot query's `run`, JSON.stringify in the serializer.",
    renderTable(["self time by function", "of busy"], topRows(byFunction, top)),
    renderTable(["self time by package or file", "of busy"], topRows(byOwner, Math.min(top, 10))),
  ].join("\n\n");
}

/** Summaries of every .cpuprofile under `dir` (one folder per server: sqlite/, postgres/). */
export function summarizeProfiles(dir: string): string {
  const files = fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".cpuprofile"))
    .sort();
  return files
    .map((file) => {
      const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
      return `CPU profile ${file}\n${summarizeProfile(profile)}`;
    })
    .join("\n\n");
}

/*
 * `npm run bench`: the product against floors measured in the same run, on this machine.
 * Loopback only; every server is a child process started and stopped by its PID; load comes
 * from a second process (autocannon). Prints a table and writes bench/results/<timestamp>.json.
 * See docs/performance.md and `npm run bench -- --help`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { measureHashFloor, startJsonFloor, startPostgresKeyFloor, startPrimaryKeyFloor } from "./floors/floors.js";
import { parseBenchArgs, type BenchOptions } from "./lib/args.js";
import { ensureServerBuilt } from "./lib/build.js";
import { defaultGoals, scaleGoals } from "./lib/goals.js";
import { postgresAvailable, startProductServer, type Dialect } from "./lib/product-server.js";
import { installExitHandlers, stopAll } from "./lib/proc.js";
import { goalsSection, renderDefaultReport } from "./lib/report.js";
import { renderScaleReport } from "./lib/report-scale.js";
import type { BenchResults } from "./lib/results.js";
import { OUR_SCENARIOS, runOurs, type OurScenario, type PairedFloors } from "./scenarios/ours.js";
import { runScale, SCALE_SCENARIOS, type ScaleScenario } from "./scenarios/scale.js";
import { describeLayout } from "./lib/cpu-layout.js";
import { summarizeProfiles } from "./lib/profile-summary.js";
import { perfProblem, renderPerfLayers } from "./lib/perf-record.js";
import { assertRuntime } from "../scripts/runtime.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const FLOORS = ["floor-json", "floor-pk", "floor-pg", "floor-argon2"] as const;

function selected<T extends string>(all: readonly T[], only: string[]): Set<T> {
  return new Set(only.length === 0 ? all : all.filter((name) => only.includes(name)));
}

function checkNames(options: BenchOptions): void {
  const known = new Set<string>([...FLOORS, ...OUR_SCENARIOS, ...SCALE_SCENARIOS]);
  const unknown = options.only.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
}

/** The floors the chosen scenarios' ratios need (or those asked for by name). */
function floorsNeeded(options: BenchOptions, ours: Set<OurScenario>): Set<(typeof FLOORS)[number]> {
  if (options.only.length === 0) return new Set(FLOORS);
  const needed = selected(FLOORS, options.only);
  if (["me", "sessions", "accounts", "mfa", "userinfo", "introspection"].some((s) => ours.has(s as OurScenario))) {
    needed.add("floor-pk");
    if (options.databases.includes("postgres")) needed.add("floor-pg");
  }
  if (ours.has("login")) needed.add("floor-argon2");
  return needed;
}

async function databases(options: BenchOptions): Promise<Dialect[]> {
  const list: Dialect[] = [];
  for (const dialect of options.databases) {
    if (dialect === "postgres" && !(await postgresAvailable())) {
      console.warn("PostgreSQL does not answer (BENCH_PG_URL or 127.0.0.1:5432/test): its column stays empty.");
      continue;
    }
    list.push(dialect);
  }
  return list;
}

async function runDefault(
  options: BenchOptions,
  results: BenchResults,
  profileDir: string | undefined,
  perfDir: string | undefined,
): Promise<void> {
  const ours = selected(OUR_SCENARIOS, options.only);
  // GET /me during the flood is compared with GET /me unloaded, measured just before it.
  if (ours.has("me-flood")) ours.add("me");
  const floors = floorsNeeded(options, ours);
  const load = { connections: options.connections, durationSec: options.durationSec, warmupSec: options.warmupSec };
  const runs = results.floorRuns;
  if (floors.has("floor-json")) {
    console.log("Floor: Fastify JSON");
    const json = await startJsonFloor();
    try {
      runs.json.push(await json.measure(load));
    } finally {
      await json.stop();
    }
  }
  // The PK floor servers stay up; each scenario compared with a floor gets its own floor run
  // right before it, so the machine's drift (other work on it) affects both sides alike.
  // PostgreSQL scenarios are compared with the floor of their own driver (Fastify + `pg`).
  const dialects = ours.size === 0 && !floors.has("floor-pg") ? [] : await databases(options);
  const pk = floors.has("floor-pk") ? await startPrimaryKeyFloor() : undefined;
  const pgFloor = floors.has("floor-pg") && dialects.includes("postgres") ? await startPostgresKeyFloor() : undefined;
  const hash = floors.has("floor-argon2")
    ? async () => pushed(runs.argon2, await measureHashFloor(Math.min(options.durationSec, 5)))
    : undefined;
  const pairedFor = (dialect: Dialect): PairedFloors => ({
    primaryKey:
      dialect === "postgres"
        ? pgFloor && (async () => pushed(runs.postgresKey, await pgFloor.measure(load)))
        : pk && (async () => pushed(runs.primaryKey, await pk.measure(load))),
    hash,
  });
  try {
    if (ours.size === 0) {
      console.log("Floors");
      await pairedFor("sqlite").primaryKey?.();
      await pairedFor("postgres").primaryKey?.();
      await hash?.();
    }
    for (const dialect of ours.size === 0 ? [] : dialects) {
      console.log(`Ours on ${dialect}`);
      // One profile folder per server, so each summary is one database's.
      const nodeFlags = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.join(profileDir, dialect)}`] : [];
      // perf names JIT-compiled functions from the map file this flag writes (/tmp/perf-<pid>.map).
      if (perfDir) nodeFlags.push("--perf-basic-prof");
      const server = await startProductServer({ dialect, nodeFlags });
      try {
        results.runs.push({
          dialect,
          outcomes: await runOurs(server, { ...options, only: ours, perfDir }, pairedFor(dialect)),
        });
      } catch (error) {
        results.runs.push({ dialect, outcomes: [], error: (error as Error).message });
        console.error(`  ${dialect} failed:`, error);
      } finally {
        await server.stop();
        if (perfDir) fs.rmSync(`/tmp/perf-${server.pid}.map`, { force: true });
      }
    }
  } finally {
    await pk?.stop();
    await pgFloor?.stop();
  }
  results.goals = defaultGoals(results, options.connections, options.loginConnections);
}

function pushed<T>(list: T[], item: T): T {
  list.push(item);
  return item;
}

async function runScaleSet(options: BenchOptions, results: BenchResults): Promise<void> {
  const only = selected(SCALE_SCENARIOS, options.only) as Set<ScaleScenario>;
  for (const dialect of await databases(options)) {
    console.log(
      `Scale on ${dialect}: ${options.scaleUsers.toLocaleString("en-US")} people, ${options.scaleSessions.toLocaleString("en-US")} sessions`,
    );
    try {
      const outcome = await runScale(dialect, {
        only,
        users: options.scaleUsers,
        sessions: options.scaleSessions,
        connections: options.connections,
        durationSec: options.durationSec,
        warmupSec: options.warmupSec,
      });
      results.scale.push({ dialect, outcome });
    } catch (error) {
      results.scale.push({ dialect, error: (error as Error).message });
      console.error(`  ${dialect} failed:`, error);
    }
  }
  results.goals = scaleGoals(results);
}

function writeResults(results: BenchResults): string {
  const dir = path.join(here, "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${results.startedAt.replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

async function main(): Promise<void> {
  assertRuntime();
  const options = parseBenchArgs(process.argv.slice(2));
  checkNames(options);
  installExitHandlers(async () => undefined);
  const missingPerf = options.perf ? perfProblem() : undefined;
  if (missingPerf) throw new Error(missingPerf);
  ensureServerBuilt(options.noBuild);
  const profileDir = options.profile ? fs.mkdtempSync(path.join(os.tmpdir(), "pc-bench-profiles-")) : undefined;
  const perfDir = options.perf ? fs.mkdtempSync(path.join(os.tmpdir(), "pc-bench-perf-")) : undefined;
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: os.availableParallelism(),
      model: os.cpus()[0]?.model ?? "?",
      node: process.version,
      loadAverageAtStart: os.loadavg(),
    },
    options,
    floorRuns: { json: [], primaryKey: [], postgresKey: [], argon2: [] },
    runs: [],
    scale: [],
    goals: [],
  };
  console.log(
    `Profile Center bench — ${results.machine.cpus} cores (${results.machine.model}), Node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}\n${describeLayout()}`,
  );
  if (options.scale) await runScaleSet(options, results);
  else await runDefault(options, results, profileDir, perfDir);
  results.finishedAt = new Date().toISOString();
  results.machine.loadAverageAtEnd = os.loadavg();
  console.log(`\n${options.scale ? renderScaleReport(results) : renderDefaultReport(results)}`);
  if (options.scale) console.log(`\n${goalsSection(results.goals)}`);
  console.log(`\nResults: ${path.relative(process.cwd(), writeResults(results))}`);
  if (perfDir) {
    const layers = results.runs.flatMap((run) =>
      run.outcomes.flatMap((outcome) =>
        outcome.measured?.perf ? [{ ...outcome.measured.perf, scenario: outcome.scenario, dialect: run.dialect }] : [],
      ),
    );
    console.log(`\n${renderPerfLayers(layers)}`);
    fs.rmSync(perfDir, { recursive: true, force: true });
  }
  if (profileDir) {
    console.log(`\n${summarizeProfiles(profileDir)}`);
    console.log(`\nCPU profiles of the product server (flame graphs: Chrome DevTools or speedscope.app): ${profileDir}`);
  }
}

main()
  .catch(async (error: unknown) => {
    console.error(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => stopAll());

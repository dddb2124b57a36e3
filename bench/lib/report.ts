import { TITLES, type Outcome } from "../scenarios/ours.js";
import type { Measured } from "./load.js";
import type { BenchResults, GoalResult } from "./results.js";
import { ms, num, ratio, renderTable } from "./table.js";

/*
 * The text report: floors, then each database's scenarios with their ratios beside the figures,
 * then the goals with PASS/MISS per database.
 */

const MEASURED_HEADER = ["", "conns", "req/s", "×floor", "p50 ms", "p99 ms", "CPU µs/req", "×floor CPU", "RSS MiB", "non-2xx"];

function non2xx(m: Measured): string {
  const bad = Object.values(m.statuses).reduce((a, b) => a + b, 0) + m.errors + m.timeouts;
  return bad === 0
    ? "0"
    : `${bad} (${
        Object.entries(m.statuses)
          .map(([s, n]) => `${s}:${n}`)
          .join(" ") || "errors"
      })`;
}

function measuredRow(title: string, m: Measured, floor: Measured | undefined, rpsRatio?: number): string[] {
  const cpuRatio = floor?.cpuUsPerReq && m.cpuUsPerReq ? m.cpuUsPerReq / floor.cpuUsPerReq : undefined;
  return [
    title,
    String(m.connections),
    num(m.rps),
    rpsRatio === undefined ? "" : ratio(rpsRatio),
    ms(m.p50),
    ms(m.p99),
    num(m.cpuUsPerReq),
    cpuRatio === undefined ? "" : ratio(cpuRatio),
    num(m.rssMiB),
    non2xx(m),
  ];
}

/** Floors block: the JSON floor, and the range of the PK and argon2id floor runs (each paired with a scenario below). */
function floorsSection(results: BenchResults): string {
  const { json, primaryKey, postgresKey = [], argon2 } = results.floorRuns;
  const rows: string[][] = json.map((m) => measuredRow("Fastify, JSON", m, undefined));
  let text = `Floors (this run)\n${rows.length > 0 ? renderTable(MEASURED_HEADER, rows) : ""}`;
  const range = (values: number[], digits = 0) =>
    values.length === 0 ? "-" : `${num(Math.min(...values), digits)}–${num(Math.max(...values), digits)}`;
  if (primaryKey.length > 0) {
    text +=
      `\n  Fastify + SQLite primary-key lookup (100k rows), ${primaryKey.length} runs, one right before each scenario compared with it: ` +
      `${range(primaryKey.map((m) => m.rps))} req/s, ${range(primaryKey.map((m) => m.cpuUsPerReq ?? NaN))} CPU µs/req`;
  }
  if (postgresKey.length > 0) {
    text +=
      `\n  Fastify + pg primary-key lookup (pool of 10, 100k rows), ${postgresKey.length} runs, one right before each PostgreSQL scenario: ` +
      `${range(postgresKey.map((m) => m.rps))} req/s, ${range(postgresKey.map((m) => m.cpuUsPerReq ?? NaN))} CPU µs/req ` +
      `(+ ${range(postgresKey.map((m) => m.dbCpuUsPerReq ?? NaN))} PG CPU µs/req)`;
  }
  const first = argon2[0];
  if (first) {
    const p = first.params;
    text +=
      `\n  argon2id m=${p.memoryCost},t=${p.timeCost},p=${p.parallelism} on ${first.parallel} cores, ${argon2.length} runs (right before each sign-in run): ` +
      `${range(
        argon2.map((h) => h.hashesPerSecond),
        1,
      )} hashes/s, ${range(
        argon2.map((h) => h.cpuMsPerHash),
        1,
      )} ms CPU per hash`;
  }
  return text;
}

/** One database's scenarios; ratios: API calls vs their paired PK floor, sign-ins vs the hash floor, the flood vs unloaded GET /me. */
function oursSection(run: BenchResults["runs"][number]): string {
  const unloaded = run.outcomes.find((o) => o.scenario === "me")?.measured;
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const outcome of run.outcomes) {
    const title = TITLES[outcome.scenario];
    if (!outcome.measured) {
      rows.push([title, "", outcome.note ?? outcome.status, "", "", "", "", "", "", "", "", ""]);
      continue;
    }
    const floorRate = outcome.floor
      ? num(outcome.floor.rps)
      : outcome.hashFloor
        ? `${num(outcome.hashFloor.hashesPerSecond, 1)} h/s`
        : "";
    const row = measuredRow(title, outcome.measured, outcome.floor, ratioOf(outcome, unloaded));
    rows.push([...row.slice(0, 3), floorRate, ...row.slice(3), num(outcome.measured.dbCpuUsPerReq)]);
    if (outcome.note) notes.push(`${outcome.scenario}: ${outcome.note}`);
  }
  const name = run.dialect === "sqlite" ? "SQLite" : "PostgreSQL";
  const pg = run.dialect === "postgres";
  const header = [...MEASURED_HEADER.slice(0, 3), "floor", ...MEASURED_HEADER.slice(3), "PG CPU µs/req"];
  const table = renderTable(pg ? header : header.slice(0, -1), pg ? rows : rows.map((r) => r.slice(0, -1)));
  let text = `Ours — ${name}${run.error ? ` (failed: ${run.error})` : ""}\n${rows.length > 0 ? table : ""}`;
  if (notes.length > 0) text += `\n${notes.map((n) => `  · ${n}`).join("\n")}`;
  return text;
}

function ratioOf(outcome: Outcome, unloaded: Measured | undefined): number | undefined {
  const m = outcome.measured;
  if (!m) return undefined;
  if (outcome.scenario === "login") return outcome.hashFloor ? m.rps / outcome.hashFloor.hashesPerSecond : undefined;
  if (outcome.scenario === "me-flood") return unloaded ? m.rps / unloaded.rps : undefined;
  return outcome.floor ? m.rps / outcome.floor.rps : undefined;
}

/** Goals table. */
export function goalsSection(goals: GoalResult[]): string {
  const cell = (c: GoalResult["sqlite"]) =>
    c.verdict === "n/a" ? "n/a" : c.verdict === "info" ? c.value : `${c.verdict} ${c.value}`;
  return `Goals (judged on SQLite; PostgreSQL beside)\n${renderTable(
    ["goal", "SQLite", "PostgreSQL"],
    goals.map((g) => [g.text, cell(g.sqlite), cell(g.postgres)]),
  )}`;
}

/** The default run's whole report. */
export function renderDefaultReport(results: BenchResults): string {
  const legend =
    "floor: the floor run right before the scenario (Fastify + PK lookup req/s, SQLite's for SQLite and pg's for PostgreSQL;\n" +
    "  sign-in: argon2id hashes/s on all cores).\n" +
    "×floor: req/s over that floor (flood: over unloaded GET /me just before); ×floor CPU: CPU µs/req over the floor's.\n" +
    "CPU µs/req: server process CPU time (user + system, all threads) per 2xx answer; PG CPU: its backends' per request.\n" +
    "Goals: (CPU …) beside a rate ratio is the same comparison in CPU time per request (floor ÷ ours), steadier on a busy machine.";
  return [floorsSection(results), ...results.runs.map((run) => oursSection(run)), goalsSection(results.goals), legend].join(
    "\n\n",
  );
}

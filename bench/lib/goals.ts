import type { Outcome, OurScenario } from "../scenarios/ours.js";
import { HISTORY_CONNECTIONS } from "../scenarios/scale-measures.js";
import type { BenchResults, GoalResult, Verdict } from "./results.js";
import { ms, num, ratio } from "./table.js";

/*
 * The bench's goals (docs/performance.md), judged per database from the figures of this run.
 * Throughput goals are ratios against floors measured in the same run; latency goals are absolute.
 */

type Dialect = "sqlite" | "postgres";
type Check = { verdict: Verdict; value: string };
const NA: Check = { verdict: "n/a", value: "not measured" };

function outcomeOf(results: BenchResults, dialect: Dialect, scenario: OurScenario): Outcome | undefined {
  const outcome = results.runs.find((r) => r.dialect === dialect)?.outcomes.find((o) => o.scenario === scenario);
  return outcome?.status === "ok" && outcome.measured ? outcome : undefined;
}

function atLeast(value: number | undefined, goal: number, show: (v: number) => string): Check {
  if (value === undefined || !Number.isFinite(value)) return NA;
  return { verdict: value >= goal ? "PASS" : "MISS", value: show(value) };
}

function below(value: number | undefined, goal: number, show: (v: number) => string): Check {
  if (value === undefined || !Number.isFinite(value)) return NA;
  return { verdict: value < goal ? "PASS" : "MISS", value: show(value) };
}

/** A figure reported without a goal: the rate and the p99 latency. */
function rateAndP99(outcome: Outcome | undefined, unit: string): Check {
  const m = outcome?.measured;
  return m ? { verdict: "info", value: `${num(m.rps)}${unit}, p99 ${ms(m.p99)} ms` } : NA;
}

function goal(id: string, text: string, judge: (dialect: Dialect) => Check): GoalResult {
  return { id, text, sqlite: judge("sqlite"), postgres: judge("postgres") };
}

/** The default set's goals; each rate ratio uses the floor measured right before its scenario. */
export function defaultGoals(results: BenchResults, connections: number, loginConnections: number): GoalResult[] {
  const rps = (d: Dialect, s: OurScenario) => outcomeOf(results, d, s)?.measured?.rps;
  const p99 = (d: Dialect, s: OurScenario) => outcomeOf(results, d, s)?.measured?.p99;
  const vsPk = (d: Dialect, s: OurScenario) => {
    const o = outcomeOf(results, d, s);
    return o?.measured && o.floor ? o.measured.rps / o.floor.rps : undefined;
  };
  // The same comparison in CPU time per request (floor's ÷ ours): steadier on a shared machine, shown beside.
  const withCpu = (d: Dialect, s: OurScenario) => (v: number) => {
    const o = outcomeOf(results, d, s);
    const ours = o?.measured?.cpuUsPerReq;
    const floor = o?.floor?.cpuUsPerReq;
    return `${ratio(v)}${floor && ours ? ` (CPU ${ratio(floor / ours)})` : ""}`;
  };
  const login = (d: Dialect) => outcomeOf(results, d, "login");
  const vsHash = (d: Dialect) => {
    const o = login(d);
    return o?.measured && o.hashFloor ? o.measured.rps / o.hashFloor.hashesPerSecond : undefined;
  };
  const loginCpu = (d: Dialect) => (v: number) => {
    const o = login(d);
    const ours = o?.measured?.cpuUsPerReq;
    const hashMs = o?.hashFloor?.cpuMsPerHash;
    return `${ratio(v)}${hashMs && ours ? ` (CPU ${ratio((hashMs * 1000) / ours)})` : ""}`;
  };
  return [
    goal("me-rps", "GET /me ≥ 0.35× the Fastify + PK floor (req/s)", (d) => atLeast(vsPk(d, "me"), 0.35, withCpu(d, "me"))),
    goal("me-p99", `GET /me p99 < 10 ms at ${connections} connections`, (d) => below(p99(d, "me"), 10, (v) => `${ms(v)} ms`)),
    goal("sessions-rps", "session list ≥ 0.25× the Fastify + PK floor", (d) =>
      atLeast(vsPk(d, "sessions"), 0.25, withCpu(d, "sessions")),
    ),
    goal("accounts-rps", "account list ≥ 0.25× the Fastify + PK floor", (d) =>
      atLeast(vsPk(d, "accounts"), 0.25, withCpu(d, "accounts")),
    ),
    goal("login-rps", "sign-in ≥ 0.75× the argon2id hash rate (all cores)", (d) => atLeast(vsHash(d), 0.75, loginCpu(d))),
    goal("login-p99", `sign-in p99 < 250 ms at ${loginConnections} connections`, (d) =>
      below(p99(d, "login"), 250, (v) => `${ms(v)} ms`),
    ),
    goal("flood", "GET /me during a sign-in flood ≥ 0.5× its unloaded rate", (d) => {
      const unloaded = rps(d, "me");
      return atLeast(unloaded ? (rps(d, "me-flood") ?? NaN) / unloaded : undefined, 0.5, ratio);
    }),
    goal("userinfo-rps", "SSO userinfo ≥ 0.35× the Fastify + PK floor", (d) =>
      atLeast(vsPk(d, "userinfo"), 0.35, withCpu(d, "userinfo")),
    ),
    goal("introspection-rps", "SSO introspection ≥ 0.35× the Fastify + PK floor", (d) =>
      atLeast(vsPk(d, "introspection"), 0.35, withCpu(d, "introspection")),
    ),
    goal("token-rate", "SSO token endpoint, codes exchanged (rate, p99)", (d) =>
      rateAndP99(outcomeOf(results, d, "token"), "/s"),
    ),
    goal("code-flow", "SSO code flow of a signed-in person (flows/s, p99)", (d) =>
      rateAndP99(outcomeOf(results, d, "code-flow"), " flows/s"),
    ),
  ];
}

/** The --scale goals (and the stored bytes, reported without a goal). */
export function scaleGoals(results: BenchResults): GoalResult[] {
  const of = (d: Dialect) => results.scale.find((s) => s.dialect === d)?.outcome;
  return [
    goal("scale-check", "session check at 1M people ≥ 0.85× its rate at 100k (req/s)", (d) =>
      atLeast(of(d)?.check?.ratio, 0.85, ratio),
    ),
    goal("scale-history-first", `history of 100,000 ended sessions, first page p99 < 25 ms (${HISTORY_CONNECTIONS} conns)`, (d) =>
      below(of(d)?.history?.first.p99, 25, (v) => `${ms(v)} ms`),
    ),
    goal("scale-history-deep", "… a deep keyset page (~90,000 in) p99 < 25 ms", (d) =>
      below(of(d)?.history?.deep.p99, 25, (v) => `${ms(v)} ms`),
    ),
    goal("scale-revoke", "revoking 10,000 sessions at once < 50 ms (median)", (d) =>
      below(of(d)?.revoke?.medianMs, 50, (v) => `${ms(v)} ms`),
    ),
    goal("scale-bytes", "stored bytes per session (table + indexes)", (d) => {
      const bytes = of(d)?.bytes?.perSession;
      return bytes === undefined ? NA : { verdict: "info", value: `${num(bytes)} B` };
    }),
  ];
}

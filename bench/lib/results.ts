import type { HashFloor } from "../floors/floors.js";
import type { Outcome } from "../scenarios/ours.js";
import type { ScaleOutcome } from "../scenarios/scale.js";
import type { BenchOptions } from "./args.js";
import type { Measured } from "./load.js";

/** Everything one bench run measured: written as JSON to bench/results/<timestamp>.json. */
export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  machine: { cpus: number; model: string; node: string; loadAverageAtStart: number[]; loadAverageAtEnd?: number[] };
  options: BenchOptions;
  /**
   * Every floor run, in order. The PK and argon2id floors are measured right before each
   * scenario compared with them (that scenario's outcome holds its own run as `floor`/`hashFloor`):
   * `primaryKey` (SQLite) for the SQLite scenarios, `postgresKey` (`pg`) for the PostgreSQL ones.
   */
  floorRuns: { json: Measured[]; primaryKey: Measured[]; postgresKey: Measured[]; argon2: HashFloor[] };
  /** One entry per database: the default scenarios. */
  runs: Array<{ dialect: "sqlite" | "postgres"; outcomes: Outcome[]; error?: string }>;
  /** --scale: one entry per database. */
  scale: Array<{ dialect: "sqlite" | "postgres"; outcome?: ScaleOutcome; error?: string }>;
  goals: GoalResult[];
}

export type Verdict = "PASS" | "MISS" | "n/a" | "info";

/** One goal of the issue, judged on each database. */
export interface GoalResult {
  id: string;
  text: string;
  sqlite: { verdict: Verdict; value: string };
  postgres: { verdict: Verdict; value: string };
}

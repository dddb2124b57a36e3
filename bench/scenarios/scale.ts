import fs from "node:fs";
import os from "node:os";
import { hashToken } from "../../src/server/lib/crypto/hash-token.js";
import { ProductClient } from "../lib/http.js";
import { measure, type Measured } from "../lib/load.js";
import { startProductServer, type Dialect, type ProductServer } from "../lib/product-server.js";
import { placeServer } from "../lib/cpu-layout.js";
import { hashPasswordForSeed } from "../seed/password.js";
import { seedHistoryPerson, seedManySessionsPerson, seedPeople } from "../seed/scale-data.js";
import type { BulkWriter } from "../seed/writer.js";
import { openWriter } from "./ours.js";
import { HISTORY_SESSIONS, measureHistory, measureRevoke, REVOKE_SESSIONS, storedBytes } from "./scale-measures.js";

/*
 * --scale: the product with a million people and ten million sessions. The session check is
 * measured on a 100,000-person database and on the full one, served side by side and measured
 * in alternation (so the machine's background noise hits both alike); then, on the full one,
 * the history of a person with 100,000 ended sessions (first and a deep keyset page), revoking
 * 10,000 sessions at once through POST /me/sessions/revoke-others, and the stored bytes per session.
 */

export const SCALE_SCENARIOS = ["scale-check", "scale-history", "scale-revoke", "scale-bytes"] as const;
export type ScaleScenario = (typeof SCALE_SCENARIOS)[number];

const SAMPLE_TOKENS = 2_000;
const CHECK_ROUNDS = 3;
const MIN_FREE_DISK_BYTES = 15 * 1024 ** 3;

export interface ScaleOptions {
  only: ReadonlySet<ScaleScenario>;
  users: number;
  sessions: number;
  connections: number;
  durationSec: number;
  warmupSec: number;
}

export interface ScaleOutcome {
  people: number;
  sessions: number;
  seeding: Array<{ what: string; rows: number; seconds: number }>;
  check?: { smallPeople: number; small: Measured[]; large: Measured[]; ratio: number; cpuRatio: number | null };
  history?: { first: Measured; deep: Measured; deepPosition: number; pagesWalked: number; walkSeconds: number };
  /** `settledMs`: after each answer, until the server had marked the 10,000 rows ended (session-cuts.ts). */
  revoke?: { revoked: number[]; ms: number[]; medianMs: number; maxMs: number; settledMs: number[]; settledMedianMs: number };
  bytes?: { perSession: number; sessionsBytes: number; sessionCount: number; method: string; databaseBytes: number };
  notes: string[];
}

function assertDiskSpace(): void {
  const stat = fs.statfsSync(os.tmpdir());
  const free = stat.bavail * stat.bsize;
  if (free < MIN_FREE_DISK_BYTES) {
    throw new Error(`only ${(free / 1024 ** 3).toFixed(1)} GiB free under ${os.tmpdir()}; --scale needs about 15 GiB`);
  }
}

/** Sets the sampled sessions' last activity to now (they were seeded minutes ago; idle timeout is 60 min). */
async function touch(writer: BulkWriter, tokens: string[]): Promise<void> {
  const hashes = tokens.map(hashToken);
  for (let i = 0; i < hashes.length; i += 500) {
    const chunk = hashes.slice(i, i + 500);
    await writer.run(`update sessions set last_seen_at = ? where token_hash in (${chunk.map(() => "?").join(", ")})`, [
      Date.now(),
      ...chunk,
    ]);
  }
}

async function timed<T>(outcome: ScaleOutcome, what: string, rows: number, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  const seconds = (performance.now() - t0) / 1000;
  outcome.seeding.push({ what, rows, seconds });
  console.log(
    `    seeded ${what}: ${rows.toLocaleString("en-US")} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds).toLocaleString("en-US")} rows/s)`,
  );
  return result;
}

function progress(label: string, total: number): (people: number, sessions: number) => void {
  let shown = 0;
  const t0 = performance.now();
  return (people, sessions) => {
    if (people < shown + total / 10 && people < total) return;
    shown = people;
    const s = (performance.now() - t0) / 1000;
    console.log(
      `    ${label}: ${people.toLocaleString("en-US")} people, ${sessions.toLocaleString("en-US")} sessions (${s.toFixed(0)} s)`,
    );
  };
}

/** Runs the --scale set on one database. */
export async function runScale(dialect: Dialect, options: ScaleOptions): Promise<ScaleOutcome> {
  assertDiskSpace();
  const sessionsPerPerson = Math.max(1, Math.round(options.sessions / options.users));
  const { hash } = await hashPasswordForSeed();
  const outcome: ScaleOutcome = { people: 0, sessions: 0, seeding: [], notes: [] };
  const servers: ProductServer[] = [];
  const writers: BulkWriter[] = [];
  try {
    const large = await startProductServer({ dialect });
    placeServer(large.pid);
    servers.push(large);
    const writer = await openWriter(large);
    writers.push(writer);
    const now = Date.now();
    const people = options.users - 2;
    const largeTokens = await timed(outcome, `${people.toLocaleString("en-US")} people`, people * (1 + sessionsPerPerson), () =>
      seedPeople(writer, {
        from: 0,
        to: people,
        sessionsPerPerson,
        sampleEvery: Math.max(1, Math.floor(people / SAMPLE_TOKENS)),
        passwordHash: hash,
        now,
        onProgress: progress(dialect, people),
      }),
    );
    const historyToken = await timed(outcome, "the person with 100,000 ended sessions", HISTORY_SESSIONS + 1, () =>
      seedHistoryPerson(writer, people, HISTORY_SESSIONS, hash, Date.now()),
    );
    const many = await timed(outcome, "the person with 10,001 live sessions", REVOKE_SESSIONS + 1, () =>
      seedManySessionsPerson(writer, people + 1, REVOKE_SESSIONS, hash, Date.now()),
    );
    outcome.people = options.users;
    outcome.sessions = people * sessionsPerPerson + HISTORY_SESSIONS + 1 + REVOKE_SESSIONS + 1;
    await writer.settle();

    if (options.only.has("scale-check")) {
      outcome.check = await measureCheckAtTwoSizes(
        dialect,
        options,
        { server: large, writer, tokens: largeTokens },
        sessionsPerPerson,
        hash,
        outcome,
        servers,
        writers,
      );
    }
    const client = new ProductClient(large.origin);
    await client.fetchCsrf();
    if (options.only.has("scale-history")) outcome.history = await measureHistory(large, client, historyToken);
    if (options.only.has("scale-revoke")) outcome.revoke = await measureRevoke(client, writer, many);
    if (options.only.has("scale-bytes")) outcome.bytes = await storedBytes(large, writer);
    return outcome;
  } finally {
    for (const w of writers) await w.close().catch(() => undefined);
    for (const s of servers) await s.stop();
  }
}

/**
 * The session check (signed-in GET /me, cookies of people spread over the whole table) on a
 * database of `users / 10` people and on the full one, alternating, best of CHECK_ROUNDS each.
 */
async function measureCheckAtTwoSizes(
  dialect: Dialect,
  options: ScaleOptions,
  large: { server: ProductServer; writer: BulkWriter; tokens: string[] },
  sessionsPerPerson: number,
  hash: string,
  outcome: ScaleOutcome,
  servers: ProductServer[],
  writers: BulkWriter[],
): Promise<NonNullable<ScaleOutcome["check"]>> {
  const smallPeople = Math.round(options.users / 10);
  const small = await startProductServer({ dialect });
  placeServer(small.pid);
  servers.push(small);
  const smallWriter = await openWriter(small);
  writers.push(smallWriter);
  const smallTokens = await timed(
    outcome,
    `the ${smallPeople.toLocaleString("en-US")}-person database`,
    smallPeople * (1 + sessionsPerPerson),
    () =>
      seedPeople(smallWriter, {
        from: 0,
        to: smallPeople,
        sessionsPerPerson,
        sampleEvery: Math.max(1, Math.floor(smallPeople / SAMPLE_TOKENS)),
        passwordHash: hash,
        now: Date.now(),
      }),
  );
  await smallWriter.settle();
  const load = {
    method: "GET" as const,
    path: "/api/v1/me",
    connections: options.connections,
    durationSec: options.durationSec,
    warmupSec: options.warmupSec,
  };
  const results = { small: [] as Measured[], large: [] as Measured[] };
  for (let round = 0; round < CHECK_ROUNDS; round++) {
    for (const [side, target] of [
      ["small", { server: small, writer: smallWriter, tokens: smallTokens }],
      ["large", large],
    ] as const) {
      await touch(target.writer, target.tokens);
      const m = await measure(
        { ...load, origin: target.server.origin, rotation: { kind: "cookie", tokens: target.tokens } },
        target.server,
      );
      console.log(
        `    session check, ${side} database, round ${round + 1}: ${Math.round(m.rps)} req/s, p99 ${m.p99.toFixed(2)} ms`,
      );
      results[side].push(m);
    }
  }
  const best = (list: Measured[]) => list.reduce((a, b) => (b.rps > a.rps ? b : a));
  const bestCpu = (list: Measured[]) => Math.min(...list.map((m) => m.cpuUsPerReq ?? Infinity));
  const cpuSmall = bestCpu(results.small);
  const cpuLarge = bestCpu(results.large);
  return {
    smallPeople,
    ...results,
    ratio: best(results.large).rps / best(results.small).rps,
    cpuRatio: Number.isFinite(cpuSmall) && Number.isFinite(cpuLarge) ? cpuSmall / cpuLarge : null,
  };
}

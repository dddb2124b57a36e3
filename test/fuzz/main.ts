/*
 * `npm run fuzz`: property-based requests generated from the OpenAPI document, every family,
 * in-process (`app.inject`), on SQLite and PostgreSQL. Goal: ≥ 100,000 requests per database,
 * no 5xx, every 4xx in the error envelope. Exits 1 when any answer breaks those rules.
 *
 *   npm run fuzz                         100,000 requests on each database
 *   npm run fuzz -- --runs 20000 --db sqlite --seed 7 --families nul,surrogates
 *
 * PostgreSQL: TEST_DATABASE_URL, else 127.0.0.1:5432/test, else an embedded server (as the tests).
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { createTestApp } from "../create-test-app.js";
import { resolvePostgres } from "../postgres-server.js";
import { FAMILIES, type FamilyName } from "./arbitraries.js";
import { formatFuzzReport, runFuzz, type FuzzReport } from "./runner.js";
import { FUZZ_HASHER, fuzzTargetOf } from "./session.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: process.env.FUZZ_RUNS ?? "100000" },
    db: { type: "string", default: process.env.FUZZ_DB ?? "sqlite,postgres" },
    seed: { type: "string", default: process.env.FUZZ_SEED ?? String(Date.now() % 1_000_000_000) },
    families: { type: "string", default: process.env.FUZZ_FAMILIES ?? FAMILIES.join(",") },
    concurrency: { type: "string", default: "8" },
  },
});

const runs = Number(values.runs);
const seed = Number(values.seed);
const families = values.families.split(",").map((f) => f.trim()) as FamilyName[];
const unknown = families.filter((f) => !(FAMILIES as readonly string[]).includes(f));
if (unknown.length > 0) throw new Error(`unknown families ${unknown.join(", ")}; known: ${FAMILIES.join(", ")}`);
const databases = values.db.split(",").map((d) => d.trim());

async function withPostgresDatabase<T>(run: (url: string) => Promise<T>): Promise<T> {
  const server = await resolvePostgres();
  const name = `pc_fuzz_${randomBytes(6).toString("hex")}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  try {
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    return await run(url.toString());
  } finally {
    await admin(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await server.stop();
  }
}

async function fuzzOn(database: string): Promise<FuzzReport> {
  const go = async (env: Record<string, string>) => {
    const t = await createTestApp({ LOG_LEVEL: "warn", ...env }, { hasher: FUZZ_HASHER });
    try {
      let lastPrinted = 0;
      return await runFuzz(fuzzTargetOf(t), {
        runs,
        families,
        seed,
        concurrency: Number(values.concurrency),
        onProgress: (done, violations) => {
          if (done - lastPrinted < 10_000 && done < runs) return;
          lastPrinted = done;
          process.stdout.write(`  ${database}: ${done}/${runs} requests, ${violations} violations\n`);
        },
      });
    } finally {
      await t.close();
    }
  };
  if (database === "sqlite") return go({});
  if (database === "postgres") return withPostgresDatabase((url) => go({ DATABASE_URL: url }));
  throw new Error(`unknown database ${database} (sqlite, postgres)`);
}

console.log(`fuzz: ${runs} requests per database, seed ${seed}, families ${families.join(", ")}`);
let failed = false;
const summary: string[] = [];
for (const database of databases) {
  const report = await fuzzOn(database);
  console.log(formatFuzzReport(`${database}, seed ${seed}`, report));
  const fivexx = Object.entries(report.byStatus)
    .filter(([s]) => Number(s) >= 500)
    .reduce((sum, [, n]) => sum + n, 0);
  summary.push(
    `${report.violationCount === 0 ? "✔" : "✘"} ${database.padEnd(9)} ${report.requests} requests, ${Math.round(report.requests / report.seconds)}/s, ${fivexx} 5xx, ${report.violationCount} violations`,
  );
  if (report.violationCount > 0) failed = true;
}
console.log(`\n──────── fuzz summary (seed ${seed}) ────────\n${summary.join("\n")}`);
process.exit(failed ? 1 : 0);

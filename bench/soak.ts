/*
 * `npm run soak`: mixed load (reads, profile updates, sign-ins and sign-outs, a second device
 * signed in and revoked, MFA switched on and off, re-authentication) from virtual people in a
 * second process against the real built server, for SOAK_SECONDS (default 600) at
 * SOAK_CONNECTIONS (default 100). Reports errors, 5xx, throughput, latency per action and the
 * server's RSS at minute 2 (half-way through a shorter run) against the end; writes
 * bench/results/soak-<timestamp>.json. SOAK_THINK_MS (default 100) is each person's pause between
 * two reads or updates. Goals: 0 errors, 0 5xx, RSS at the end within 10 % of
 * minute 2. Exits 1 when a goal is missed.
 *
 *   npm run soak                       10 minutes on SQLite
 *   SOAK_SECONDS=60 SOAK_DB=postgres npm run soak
 */
import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { assertRuntime } from "../scripts/runtime.mjs";
import { ensureServerBuilt } from "./lib/build.js";
import { postgresAvailable, startProductServer, type Dialect } from "./lib/product-server.js";
import { installExitHandlers, memoryMiB, stopAll, track } from "./lib/proc.js";
import type { SoakChildMessage, SoakResult, SoakSpec } from "./lib/soak-spec.js";
import { percentile } from "./lib/stats.js";
import { ms, num, renderTable } from "./lib/table.js";

assertRuntime();
const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, "..");

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const connections = Number(process.env.SOAK_CONNECTIONS ?? 100);
const dialect = (process.env.SOAK_DB ?? "sqlite") as Dialect;
/**
 * A person's pause between two reads or updates. With none, 100 connections keep every core busy
 * and the password hashes of sign-ins (which yield to requests by design) wait past their limit:
 * the soak is about staying healthy under steady heavy use, not about the saturation point,
 * which the bench measures.
 */
const thinkMs = Number(process.env.SOAK_THINK_MS ?? 100);
const noBuild = process.argv.includes("--no-build");
/** Where the reference RSS is read: minute 2, or half of a run shorter than 4 minutes (past the ramp-up). */
const referenceAt = Math.min(120, seconds / 2);
const RSS_GOAL = 0.1;

async function seedPeople(origin: string, adminToken: string, count: number) {
  const people = Array.from({ length: count }, (_, i) => ({
    email: `soak-${i}@example.com`,
    password: `harbour lantern ${i} drifts quietly`,
  }));
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < people.length) {
        const person = people[next++]!;
        const res = await fetch(`${origin}/api/v1/admin/users`, {
          method: "POST",
          headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
          body: JSON.stringify({ ...person, firstName: "Soak", lastName: "Tester" }),
        });
        if (res.status !== 201) throw new Error(`seeding ${person.email}: ${res.status} ${await res.text()}`);
      }
    }),
  );
  return people;
}

function runLoad(spec: SoakSpec, onProgress: (message: string) => void): Promise<SoakResult> {
  const child = track(
    fork(path.join(here, "lib/soak-child.ts"), [], {
      cwd: ROOT,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
  return new Promise((resolve, reject) => {
    child.on("message", (message: SoakChildMessage) => {
      if (message.type === "progress") {
        const p = message.progress;
        onProgress(
          `${Math.round(p.seconds)} s: ${num(p.requests)} requests, ${p.errors} errors, ${p.serverErrors} 5xx, ${p.busy} busy`,
        );
      } else if (message.type === "done") {
        resolve(message.result);
        child.kill();
      } else reject(new Error(`soak load: ${message.message}`));
    });
    child.once("exit", (code) => reject(new Error(`the soak load process exited (code ${code}) without a result`)));
    child.send({ type: "run", spec });
  });
}

async function main() {
  if (dialect === "postgres" && !(await postgresAvailable())) throw new Error("SOAK_DB=postgres but PostgreSQL does not answer");
  ensureServerBuilt(noBuild);
  installExitHandlers(async () => undefined);
  const server = await startProductServer({ dialect });
  try {
    console.log(`soak: ${seconds} s, ${connections} connections, think ${thinkMs} ms, ${dialect}, server pid ${server.pid}`);
    const people = await seedPeople(server.origin, server.adminToken, connections);
    const rss: Array<{ at: number; mib: number }> = [];
    const started = Date.now();
    const sampler = setInterval(() => {
      try {
        rss.push({ at: (Date.now() - started) / 1000, mib: memoryMiB(server.pid).rss });
      } catch {
        // the server is gone; the load reports the errors
      }
    }, 1_000);
    let result: SoakResult;
    try {
      result = await runLoad({ origin: server.origin, seconds, connections, people, thinkMs }, (line) =>
        console.log(`  ${line}`),
      );
    } finally {
      clearInterval(sampler);
    }
    const endRss = memoryMiB(server.pid).rss;
    const reference = rss.find((s) => s.at >= referenceAt) ?? rss[0];
    const growth = reference ? (endRss - reference.mib) / reference.mib : 0;
    const throughput = result.requests / result.seconds;

    const rows = Object.entries(result.actions)
      .sort(([, a], [, b]) => b.count - a.count)
      .map(([action, stats]) => {
        const sorted = [...stats.latencies].sort((a, b) => a - b);
        return [action, num(stats.count), num(stats.failed), ms(percentile(sorted, 0.5)), ms(percentile(sorted, 0.99))];
      });
    console.log(`\n${renderTable(["action", "count", "failed", "p50 ms", "p99 ms"], rows)}`);
    const goals = [
      ["errors", String(result.errors), "0", result.errors === 0],
      ["5xx", String(result.serverErrors), "0", result.serverErrors === 0],
      [
        `RSS end vs ${Math.round(referenceAt)} s`,
        `${num(reference?.mib ?? 0, 1)} → ${num(endRss, 1)} MiB (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)} %)`,
        `within ${RSS_GOAL * 100} %`,
        Math.abs(growth) <= RSS_GOAL,
      ],
    ] as const;
    console.log(`\nrequests ${num(result.requests)} in ${num(result.seconds, 1)} s: ${num(throughput)} req/s`);
    console.log(
      `statuses ${Object.entries(result.statuses)
        .map(([s, n]) => `${s}:${n}`)
        .join("  ")}`,
    );
    console.log(
      renderTable(
        ["goal", "measured", "target", "met"],
        goals.map(([name, value, target, met]) => [name, value, target, met ? "✔" : "✘"]),
      ),
    );
    for (const sample of result.samples) console.log(`  ✘ ${sample}`);

    const out = path.join(ROOT, "bench/results", `soak-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const { actions, ...totals } = result;
    fs.writeFileSync(
      out,
      JSON.stringify(
        {
          dialect,
          connections,
          throughput,
          ...totals,
          actions: Object.fromEntries(
            Object.entries(actions).map(([name, s]) => {
              const sorted = [...s.latencies].sort((a, b) => a - b);
              return [name, { count: s.count, failed: s.failed, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }];
            }),
          ),
          rss: {
            referenceAt,
            referenceMiB: reference?.mib ?? null,
            endMiB: endRss,
            growth,
            samples: rss.filter((_, i) => i % 10 === 0),
          },
        },
        null,
        2,
      ),
    );
    console.log(`\nwritten ${path.relative(ROOT, out)}`);
    return goals.every(([, , , met]) => met);
  } finally {
    await server.stop();
    await stopAll();
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

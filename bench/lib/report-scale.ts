import { HISTORY_CONNECTIONS } from "../scenarios/scale-measures.js";
import type { Measured } from "./load.js";
import type { BenchResults } from "./results.js";
import { ms, num, ratio, renderTable } from "./table.js";

/** The --scale report: per database, the seeding, the session check at two sizes, history, revoke, bytes. */
export function renderScaleReport(results: BenchResults): string {
  const sections: string[] = [];
  for (const run of results.scale) {
    const name = run.dialect === "sqlite" ? "SQLite" : "PostgreSQL";
    const o = run.outcome;
    if (!o) {
      sections.push(`Scale — ${name}: failed: ${run.error ?? "?"}`);
      continue;
    }
    const rows: string[][] = [];
    const row = (title: string, m: Measured, extra = "") => [
      title,
      String(m.connections),
      num(m.rps),
      ms(m.p50),
      ms(m.p99),
      num(m.cpuUsPerReq),
      extra,
    ];
    if (o.check) {
      const small = `GET /me, ${num(o.check.smallPeople)} people`;
      o.check.small.forEach((m, i) => rows.push(row(`${small} (round ${i + 1})`, m)));
      o.check.large.forEach((m, i) => rows.push(row(`GET /me, ${num(o.people)} people (round ${i + 1})`, m)));
    }
    if (o.history) {
      rows.push(row("history, first page (100,000 ended)", o.history.first));
      rows.push(row(`history, page at ${num(o.history.deepPosition)}`, o.history.deep));
    }
    const header = ["", "conns", "req/s", "p50 ms", "p99 ms", "CPU µs/req", ""];
    const lines = [`Scale — ${name}: ${num(o.people)} people, ${num(o.sessions)} sessions`];
    lines.push(
      ...o.seeding.map(
        (s) => `  seeded ${s.what}: ${num(s.rows)} rows in ${num(s.seconds, 1)} s (${num(s.rows / s.seconds)} rows/s)`,
      ),
    );
    if (rows.length > 0) lines.push(renderTable(header, rows));
    if (o.check) {
      lines.push(
        `  session check at ${num(o.people)} vs ${num(o.check.smallPeople)} people (best of each): ${ratio(o.check.ratio)} req/s, ${ratio(o.check.cpuRatio)} CPU efficiency`,
      );
    }
    if (o.history)
      lines.push(
        `  history: ${HISTORY_CONNECTIONS} connections; deep page reached by following nextCursor ${o.history.pagesWalked} times (${num(o.history.walkSeconds, 1)} s)`,
      );
    if (o.revoke) {
      lines.push(
        `  revoke-others (10,000 sessions): ${o.revoke.ms.map((t) => ms(t)).join(", ")} ms → median ${ms(o.revoke.medianMs)} ms (revoked ${o.revoke.revoked.join(", ")})`,
        `    rows marked ended in the background: ${o.revoke.settledMs.map((t) => ms(t)).join(", ")} ms after the answer → median ${ms(o.revoke.settledMedianMs)} ms`,
      );
    }
    if (o.bytes) {
      lines.push(
        `  stored: ${num(o.bytes.perSession)} bytes per session (${num(o.bytes.sessionsBytes / 1024 ** 2)} MiB for ${num(o.bytes.sessionCount)} sessions; ${o.bytes.method}); whole database ${num(o.bytes.databaseBytes / 1024 ** 2)} MiB`,
      );
    }
    lines.push(...o.notes.map((n) => `  · ${n}`));
    sections.push(lines.join("\n"));
  }
  return sections.join("\n\n");
}

import { CompiledQuery, type Compilable, type Kysely } from "kysely";
import { expect } from "vitest";
import type { Database } from "../src/server/db/schema.js";
import { toPostgresPlaceholders } from "../src/server/db/hot-query.js";
import type { TestApp } from "./create-test-app.js";
import { TEST_DIALECT } from "./database.js";

/*
 * Query plans, for the tests that prove a list or a per-request read is served by an index.
 * PostgreSQL's planner prefers a sequential scan on tiny tables, so it is told not to
 * (enable_seqscan/enable_sort off): the question is whether an index CAN serve the query.
 */

/** The plan the database chooses for a query (PostgreSQL: with sequential scans and sorts discouraged). */
export async function planOf(t: TestApp, query: Compilable): Promise<string> {
  const compiled = query.compile();
  const db: Kysely<Database> = t.app.services.db;
  if (TEST_DIALECT === "sqlite") {
    const result = await db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
    );
    return result.rows.map((r) => r.detail).join("\n");
  }
  return db.connection().execute(async (conn) => {
    await conn.executeQuery(CompiledQuery.raw("set enable_seqscan = off"));
    await conn.executeQuery(CompiledQuery.raw("set enable_sort = off"));
    try {
      const result = await conn.executeQuery<{ "QUERY PLAN": string }>(
        CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
      );
      return result.rows.map((r) => r["QUERY PLAN"]).join("\n");
    } finally {
      await conn.executeQuery(CompiledQuery.raw("reset enable_seqscan"));
      await conn.executeQuery(CompiledQuery.raw("reset enable_sort"));
    }
  });
}

/** A hot query's SQL (db/hot-query.ts) as the dialect runs it. */
export function hot(text: string, parameters: unknown[]): Compilable {
  return { compile: () => CompiledQuery.raw(TEST_DIALECT === "postgres" ? toPostgresPlaceholders(text) : text, parameters) };
}

/**
 * Asserts a plan reads `index` (any index when undefined) and scans no table; with
 * `sorts: false`, that it sorts nothing either (a list read in the index's order). With
 * `wholeIndex`, reading the index from its start (SQLite's "SCAN … USING INDEX") is the intent,
 * as in a walk's first batch; a scan of the table itself still fails.
 */
export function expectIndexRead(
  plan: string,
  index: string | undefined,
  options: { sorts: boolean; wholeIndex?: boolean },
): void {
  if (TEST_DIALECT === "sqlite") {
    expect(plan, plan).toMatch(index ? new RegExp(`USING (COVERING )?INDEX ${index}\\b`) : /USING (COVERING )?INDEX /);
    const scan = options.wholeIndex ? "^SCAN (?!\\S+ USING (COVERING )?INDEX )" : "^SCAN ";
    expect(plan, plan).not.toMatch(new RegExp(options.sorts ? scan : `TEMP B-TREE|${scan}`, "m"));
  } else {
    expect(plan, plan).toMatch(
      index ? new RegExp(`(Index (Only )?Scan (Backward )?using|Bitmap Index Scan on) ${index}\\b`) : /Index (Only )?Scan/,
    );
    expect(plan, plan).not.toMatch(options.sorts ? /Seq Scan/ : /\bSort\b|Seq Scan/);
  }
}

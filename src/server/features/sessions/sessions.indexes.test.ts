import { CompiledQuery, type Compilable, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/schema.js";
import { createTestApp, type TestApp } from "../../../../test/create-test-app.js";
import { TEST_DIALECT } from "../../../../test/database.js";
import { createActivityRepo } from "../activity/activity.repo.js";
import { createSessionsRepo } from "./sessions.repo.js";

/*
 * The list queries must be served by an index in the order they are read (newest first), on
 * both databases: no full scan of a person's history, no sort of it, no OFFSET, no count.
 * PostgreSQL's planner prefers a sequential scan on tiny tables, so it is told not to
 * (enable_seqscan/enable_sort off): the question is whether an index CAN serve the query.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function planOf(query: Compilable): Promise<string> {
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

const live = { now: Date.UTC(2026, 10, 27), idleMs: 3_600_000 };
const after = { at: Date.UTC(2026, 10, 26), id: "AAAAAAAAAAAAAAAAAAAAAA" };

/** Asserts the plan reads `index` (any index when undefined) and sorts nothing. */
async function expectIndexedWithoutSort(query: Compilable, index: string | undefined) {
  const plan = await planOf(query);
  if (TEST_DIALECT === "sqlite") {
    expect(plan, plan).toMatch(index ? new RegExp(`USING (COVERING )?INDEX ${index}\\b`) : /USING (COVERING )?INDEX /);
    expect(plan, plan).not.toMatch(/TEMP B-TREE|^SCAN /m);
  } else {
    expect(plan, plan).toMatch(index ? new RegExp(`Index (Only )?Scan (Backward )?using ${index}\\b`) : /Index (Only )?Scan/);
    expect(plan, plan).not.toMatch(/\bSort\b|Seq Scan/);
  }
}

describe("the Sessions and activity lists read their indexes in order (no OFFSET, no sort, no scan)", () => {
  const sessions = () => createSessionsRepo(t.app.services.db);
  const activity = () => createActivityRepo(t.app.services.db);

  it("active sessions: first page and next pages use sessions_user_live_idx", async () => {
    await expectIndexedWithoutSort(sessions().activeQuery("UR-1", undefined, 21), "sessions_user_live_idx");
    await expectIndexedWithoutSort(sessions().activeQuery("UR-1", after, 21), "sessions_user_live_idx");
  });

  it("session history: first page and next pages use sessions_user_ended_idx", async () => {
    await expectIndexedWithoutSort(sessions().endedQuery("UR-1", undefined, 21), "sessions_user_ended_idx");
    await expectIndexedWithoutSort(sessions().endedQuery("UR-1", after, 21), "sessions_user_ended_idx");
  });

  it("stale-session marking reads only live sessions through an index (the person's: sessions_user_live_idx)", async () => {
    await expectIndexedWithoutSort(sessions().liveOfQuery("UR-1", 100), "sessions_user_live_idx");
    await expectIndexedWithoutSort(sessions().expiredQuery(live.now, 1000), undefined); // SQLite: sessions_expires_idx; PG may scan the live-only index
    await expectIndexedWithoutSort(sessions().idleQuery(live, 1000), undefined);
  });

  it("activity log: unfiltered pages use security_events_user_at_idx, a type filter its own index", async () => {
    await expectIndexedWithoutSort(activity().eventsQuery("UR-1", {}, 21), "security_events_user_at_idx");
    await expectIndexedWithoutSort(activity().eventsQuery("UR-1", { after }, 21), "security_events_user_at_idx");
    await expectIndexedWithoutSort(
      activity().eventsQuery("UR-1", { types: ["authn_login_fail"], after }, 21),
      "security_events_user_type_at_idx",
    );
    await expectIndexedWithoutSort(
      activity().eventsQuery("UR-1", { types: ["authn_login_fail", "authn_logout"] }, 21),
      undefined,
    );
  });
});

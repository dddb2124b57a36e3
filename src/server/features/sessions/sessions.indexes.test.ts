import type { Compilable } from "kysely";
import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { TEST_DIALECT } from "@test/database.js";
import { SESSION_SQL } from "./sessions.repo.js";
import { expectIndexRead, hot, planOf as planIn } from "@test/query-plans.js";

/*
 * The list queries must be served by an index in the order they are read (newest first), on
 * both databases: no full scan of a person's history, no sort of it, no OFFSET, no count.
 * PostgreSQL's planner prefers a sequential scan on tiny tables, so it is told not to
 * (enable_seqscan/enable_sort off): the question is whether an index CAN serve the query.
 */

const t = useTestApp({}, { scope: "suite" });
const planOf = (query: Compilable) => planIn(t, query);

const live = { now: Date.UTC(2026, 10, 27), idleMs: 3_600_000 };
const after = { at: Date.UTC(2026, 10, 26), id: "AAAAAAAAAAAAAAAAAAAAAA" };

/** Asserts the plan reads `index` (any index when undefined) and sorts nothing. */
async function expectIndexedWithoutSort(query: Compilable, index: string | undefined) {
  expectIndexRead(await planOf(query), index, { sorts: false });
}

describe("the Sessions and activity lists read their indexes in order (no OFFSET, no sort, no scan)", () => {
  const sessions = () => t.app.services.sessionRows;
  const activity = () => t.app.services.securityEvents;

  it("the per-request session check reads one session by its token hash, and its user, through indexes, and sorts nothing", async () => {
    // The newest pending email change comes first from one_time_tokens_user_created_idx (no sort per request).
    const plan = await planOf(hot(SESSION_SQL.check, [live.now, "token-hash"]));
    if (TEST_DIALECT === "sqlite") {
      expect(plan, plan).toMatch(/^SEARCH s USING INDEX \S+ \(token_hash=\?\)/);
      expect(plan, plan).toMatch(/SEARCH t USING INDEX one_time_tokens_user_created_idx/);
      expect(plan, plan).not.toMatch(/^SCAN |TEMP B-TREE/m);
    } else {
      expect(plan, plan).toMatch(/Index Scan using sessions_token_hash_key on sessions s/);
      expect(plan, plan).toMatch(/Index Scan Backward using one_time_tokens_user_created_idx on one_time_tokens t/);
      expect(plan, plan).not.toMatch(/Seq Scan|\bSort\b/);
    }
  });

  it("active sessions: first page and next pages use sessions_user_live_idx", async () => {
    await expectIndexedWithoutSort(hot(SESSION_SQL.livePage, ["UR-1", 21]), "sessions_user_live_idx");
    await expectIndexedWithoutSort(hot(SESSION_SQL.livePageAfter, ["UR-1", after.at, after.id, 21]), "sessions_user_live_idx");
  });

  it("session history: first page and next pages use sessions_user_ended_idx", async () => {
    await expectIndexedWithoutSort(hot(SESSION_SQL.endedPage, ["UR-1", 21]), "sessions_user_ended_idx");
    await expectIndexedWithoutSort(hot(SESSION_SQL.endedPageAfter, ["UR-1", after.at, after.id, 21]), "sessions_user_ended_idx");
  });

  it("stale-session marking reads only live sessions, in sessions_user_live_idx order (a person's; the pruning job's walk over everyone's)", async () => {
    await expectIndexedWithoutSort(sessions().liveOfQuery("UR-1", 100), "sessions_user_live_idx");
    const next = { userId: "UR-1", createdAt: after.at, id: after.id };
    const upTo = { userId: "UR-9", createdAt: after.at, id: after.id };
    expectIndexRead(await planOf(sessions().liveWalkBoundQuery(undefined, 999)), "sessions_user_live_idx", {
      sorts: false,
      wholeIndex: true,
    });
    await expectIndexedWithoutSort(sessions().liveWalkBoundQuery(next, 999), "sessions_user_live_idx");
    await expectIndexedWithoutSort(sessions().endStaleInRangeQuery(live, next, upTo), "sessions_user_live_idx");
    expectIndexRead(await planOf(sessions().endStaleInRangeQuery(live, undefined, upTo)), "sessions_user_live_idx", {
      sorts: false,
      wholeIndex: true,
    });
  });

  it("settling a cut reads the person's live sessions from sessions_user_live_idx; the sweep finds pending cuts through users_unsettled_cut_idx", async () => {
    const cut = { sessionGeneration: 2, unsettledCutAt: live.now, unsettledCutReason: "revoked" };
    expectIndexRead(await planOf(sessions().unsettledBatchQuery("UR-1", 2)), "sessions_user_live_idx", { sorts: false });
    expectIndexRead(await planOf(sessions().settleBatchQuery("UR-1", cut)), "sessions_user_live_idx", { sorts: false });
    await expectIndexedWithoutSort(t.app.services.users.pendingCutsQuery(100), "users_unsettled_cut_idx");
  });

  it("history pruning deletes old ended sessions through sessions_ended_at_idx", async () => {
    await expectIndexedWithoutSort(sessions().endedBeforeQuery(live.now, 1000), "sessions_ended_at_idx");
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

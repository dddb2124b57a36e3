import fs from "node:fs";
import { describe, type ProductClient } from "../lib/http.js";
import { measure } from "../lib/load.js";
import type { ProductServer } from "../lib/product-server.js";
import { median } from "../lib/stats.js";
import type { BulkWriter } from "../seed/writer.js";
import type { ScaleOutcome } from "./scale.js";

/*
 * The --scale measurements on the full database: a long history's pages, revoking 10,000
 * sessions through the product's own endpoint, and the stored bytes per session.
 */

export const HISTORY_SESSIONS = 100_000;
export const REVOKE_SESSIONS = 10_000;
const REVOKE_ROUNDS = 5;
/** A few people paging through their history at once (latency, not saturation, is the point). */
export const HISTORY_CONNECTIONS = 4;
const DEEP_PAGE_LIMIT = 100;

/** First page of the 100,000-session history, then a page ~90% deep reached by following nextCursor. */
export async function measureHistory(
  server: ProductServer,
  client: ProductClient,
  token: string,
): Promise<NonNullable<ScaleOutcome["history"]>> {
  const first = await client.request("GET", "/api/v1/me/sessions?status=ended", { token });
  if (first.status !== 200) throw new Error(`history: GET /api/v1/me/sessions?status=ended answered ${describe(first)}`);
  const t0 = performance.now();
  let cursor: string | null = null;
  let position = 0;
  let pages = 0;
  while (position < HISTORY_SESSIONS * 0.9) {
    const query: string = `status=ended&limit=${DEEP_PAGE_LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = await client.request("GET", `/api/v1/me/sessions?${query}`, { token });
    const body = page.body as { items?: unknown[]; nextCursor?: string | null };
    if (page.status !== 200 || !body.items) throw new Error(`history: page ${pages + 1} answered ${describe(page)}`);
    position += body.items.length;
    pages++;
    if (!body.nextCursor) throw new Error(`history: the list ended after ${position} sessions, expected ${HISTORY_SESSIONS}`);
    cursor = body.nextCursor;
  }
  const walkSeconds = (performance.now() - t0) / 1000;
  const spec = { origin: server.origin, method: "GET" as const, connections: HISTORY_CONNECTIONS, durationSec: 5, warmupSec: 1 };
  const firstM = await measure(
    { ...spec, path: "/api/v1/me/sessions?status=ended", rotation: { kind: "cookie", tokens: [token] } },
    server,
  );
  const deepPath = `/api/v1/me/sessions?status=ended&cursor=${encodeURIComponent(cursor ?? "")}`;
  const deepM = await measure({ ...spec, path: deepPath, rotation: { kind: "cookie", tokens: [token] } }, server);
  console.log(
    `    history: first page p99 ${firstM.p99.toFixed(2)} ms; page at ${position.toLocaleString("en-US")} p99 ${deepM.p99.toFixed(2)} ms`,
  );
  return { first: firstM, deep: deepM, deepPosition: position, pagesWalked: pages, walkSeconds };
}

/** Follows nextCursor from `path` to the last page; returns how many items it saw. */
async function walkPages(client: ProductClient, path: string, token: string): Promise<number> {
  let cursor: string | null = null;
  let seen = 0;
  do {
    const page = await client.request("GET", cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path, { token });
    const body = page.body as { items?: unknown[]; nextCursor?: string | null };
    if (page.status !== 200 || !body.items) throw new Error(`GET ${path} answered ${describe(page)}`);
    seen += body.items.length;
    cursor = body.nextCursor ?? null;
  } while (cursor);
  return seen;
}

/**
 * Waits until the server has marked a cut's sessions ended (session-cuts.ts: the answer comes
 * after one write to the person's row; the rows follow in the background) and returns how long
 * that took after the answer. Polls the database, every 2 ms.
 */
async function untilSettled(writer: BulkWriter, userId: string, answeredAt: number): Promise<number> {
  for (;;) {
    const [row] = await writer.all<{ pending: number | null; live: number | string }>(
      "select unsettled_cut_at as pending, (select count(*) from sessions where user_id = ? and ended_at is null) as live from users where id = ?",
      [userId, userId],
    );
    if (row && row.pending === null && Number(row.live) === 1) return performance.now() - answeredAt;
    if (performance.now() - answeredAt > 60_000) throw new Error("revoke-others: the sessions were not marked ended within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * POST /me/sessions/revoke-others for a person with 10,001 live sessions; the others are revived
 * between rounds, once the server has marked them ended (that time is reported beside).
 */
export async function measureRevoke(
  client: ProductClient,
  writer: BulkWriter,
  person: { token: string; sessionId: string; userId: string },
): Promise<NonNullable<ScaleOutcome["revoke"]>> {
  const timings: number[] = [];
  const revoked: number[] = [];
  const settledMs: number[] = [];
  for (let round = 0; round < REVOKE_ROUNDS; round++) {
    if (round > 0) {
      await writer.run(
        "update sessions set ended_at = null, end_reason = null, last_seen_at = ?, generation = (select session_generation from users where id = ?) where user_id = ? and id <> ?",
        [Date.now(), person.userId, person.userId, person.sessionId],
      );
    }
    // revoke-others needs a recent sign-in (REAUTH_MAX_AGE_MINUTES): the current session just signed in.
    await writer.run("update sessions set authenticated_at = ?, last_seen_at = ? where id = ?", [
      Date.now(),
      Date.now(),
      person.sessionId,
    ]);
    // The person looks at their sessions first (as on the Sessions page): the server reads the rows
    // it is about to end through its own connection, as it would have after creating them itself.
    await walkPages(client, "/api/v1/me/sessions?status=active&limit=100", person.token);
    const answer = await client.request("POST", "/api/v1/me/sessions/revoke-others", { token: person.token, body: {} });
    if (answer.status !== 200) throw new Error(`revoke-others answered ${describe(answer)}`);
    timings.push(answer.ms);
    revoked.push(Number((answer.body as { revoked?: number }).revoked));
    settledMs.push(await untilSettled(writer, person.userId, performance.now()));
  }
  console.log(
    `    revoke-others: ${timings.map((t) => t.toFixed(1)).join(", ")} ms (revoked ${revoked.join(", ")}); rows marked ended ${settledMs.map((t) => t.toFixed(0)).join(", ")} ms after the answer`,
  );
  return {
    revoked,
    ms: timings,
    medianMs: median(timings),
    maxMs: Math.max(...timings),
    settledMs,
    settledMedianMs: median(settledMs),
  };
}

/** Bytes the sessions table and its indexes take, per session row. */
export async function storedBytes(server: ProductServer, writer: BulkWriter): Promise<NonNullable<ScaleOutcome["bytes"]>> {
  const first = async <T>(sql: string): Promise<T> => {
    const row = (await writer.all<T>(sql))[0];
    if (!row) throw new Error(`no answer to ${sql}`);
    return row;
  };
  const sessionCount = Number((await first<{ n: number | string }>("select count(*) as n from sessions")).n);
  if (writer.dialect === "sqlite") {
    const { bytes } = await first<{ bytes: number }>(
      "select sum(pgsize) as bytes from dbstat where name = 'sessions' or name in (select name from sqlite_master where tbl_name = 'sessions' and type = 'index')",
    );
    const databaseBytes = fs.statSync(server.sqliteFile!).size;
    return {
      perSession: bytes / sessionCount,
      sessionsBytes: bytes,
      sessionCount,
      method: "SQLite dbstat (table + its indexes)",
      databaseBytes,
    };
  }
  const { bytes, db } = await first<{ bytes: string; db: string }>(
    "select pg_total_relation_size('sessions') as bytes, pg_database_size(current_database()) as db",
  );
  return {
    perSession: Number(bytes) / sessionCount,
    sessionsBytes: Number(bytes),
    sessionCount,
    method: "pg_total_relation_size (heap + indexes + TOAST)",
    databaseBytes: Number(db),
  };
}

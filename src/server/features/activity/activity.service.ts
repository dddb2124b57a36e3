import { Readable } from "node:stream";
import type { EventsPage } from "../../../contracts/sessions.js";
import { commonErrors } from "../../errors.js";
import type { Clock } from "../../lib/clock.js";
import { decodeTimeCursor, pageByTime, type TimeKeyset } from "../../lib/keyset-cursor.js";
import type { GeoLocator } from "../sessions/geoip.js";
import type { AuthContext } from "../../request-context.js";
import { presentEvent } from "./activity.presenters.js";
import type { SecurityEventsRepo } from "./security-events.repo.js";
import { CSV_COLUMNS, csvLine, eventToCsvLine } from "./events-csv.js";

export interface ActivityServiceDeps {
  events: SecurityEventsRepo;
  clock: Clock;
  geo: GeoLocator;
}

/** Query of `GET /me/events`. */
export interface ListEventsQuery {
  limit: number;
  cursor?: string | undefined;
  type?: string[] | undefined;
}

/** A download of the whole (filtered) log. */
export interface EventsExport {
  filename: string;
  contentType: string;
  body: Readable;
}

/** Rows read per query while streaming a download (keyset batches; memory stays flat). */
const EXPORT_BATCH = 500;

/** The person's security activity log (product.md "Sessions"; checklist I1/I2 made visible). */
export function createActivityService(deps: ActivityServiceDeps) {
  const { events: repo, clock, geo } = deps;

  /** One page of the person's events, newest first (keyset pagination; no OFFSET, no count). */
  async function listEvents(auth: AuthContext, query: ListEventsQuery): Promise<EventsPage> {
    let after: TimeKeyset | undefined;
    if (query.cursor !== undefined) {
      after = decodeTimeCursor(query.cursor);
      if (!after) throw commonErrors.validation({ cursor: "is not a cursor from this list" });
    }
    const rows = await repo.listEvents(auth.user.id, { types: query.type, after }, query.limit + 1);
    const { page, nextCursor } = pageByTime(rows, query.limit, (row) => ({ at: row.at, id: row.id }));
    return { items: page.map((row) => presentEvent(row, geo)), nextCursor };
  }

  /** Every event of the person, newest first, batch after batch. */
  async function* allEvents(userId: string, types: string[] | undefined) {
    let after: TimeKeyset | undefined;
    for (;;) {
      const rows = await repo.listEvents(userId, { types, after }, EXPORT_BATCH);
      for (const row of rows) yield presentEvent(row, geo);
      const last = rows[rows.length - 1];
      if (rows.length < EXPORT_BATCH || !last) return;
      after = { at: last.at, id: last.id };
    }
  }

  async function* csvChunks(userId: string, types: string[] | undefined) {
    yield csvLine(CSV_COLUMNS);
    for await (const event of allEvents(userId, types)) yield eventToCsvLine(event);
  }

  async function* jsonChunks(userId: string, types: string[] | undefined) {
    yield "[";
    let first = true;
    for await (const event of allEvents(userId, types)) {
      yield `${first ? "\n" : ",\n"}${JSON.stringify(event)}`;
      first = false;
    }
    yield "\n]\n";
  }

  /** The whole log (optionally filtered by type) as a CSV or JSON file, streamed. */
  function exportEvents(auth: AuthContext, options: { format: "csv" | "json"; type?: string[] | undefined }): EventsExport {
    const day = new Date(clock.now()).toISOString().slice(0, 10);
    const chunks = options.format === "csv" ? csvChunks(auth.user.id, options.type) : jsonChunks(auth.user.id, options.type);
    return {
      filename: `security-activity-${day}.${options.format}`,
      contentType: options.format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      body: Readable.from(chunks, { objectMode: false }),
    };
  }

  return { listEvents, exportEvents };
}

export type ActivityService = ReturnType<typeof createActivityService>;

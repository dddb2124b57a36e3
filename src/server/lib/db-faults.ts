/**
 * Database faults: errors that say the database cannot serve right now (unreachable, restarting,
 * read-only, full, locked past the busy timeout, out of memory) rather than that the request or
 * the code is wrong. They are answered 503 `unavailable` with `Retry-After`, and the fault itself
 * (the driver's own error) is what gets logged.
 *
 * Written against the drivers' error shapes (better-sqlite3 `SqliteError.code`, node-postgres
 * SQLSTATE `code`, Node system errors), so it needs nothing from the database layer.
 */

/** How long a client waits before trying again after a database fault (seconds). */
export const DATABASE_FAULT_RETRY_AFTER_SECONDS = 5;

/** What a person or a client is told while the database cannot serve. */
export const DATABASE_FAULT_MESSAGE = "The service is temporarily unavailable. Try again in a moment.";

/** What went wrong, in words an operator reads in the log. */
export type DatabaseFaultKind = "unreachable" | "read_only" | "full" | "busy" | "io" | "resources";

export interface DatabaseFault {
  kind: DatabaseFaultKind;
  /** The driver's error (the deepest one that names the fault). */
  cause: Error;
  /**
   * The driver's code (`SQLITE_FULL`, SQLSTATE `57P01`, `ECONNREFUSED`), for the log: the
   * logger redacts fields named `code`, so it is logged under another name.
   */
  dbCode: string | undefined;
}

/** SQLite primary result codes (extended codes start with them, e.g. SQLITE_IOERR_WRITE). */
const SQLITE_FAULTS: Array<[prefix: string, kind: DatabaseFaultKind]> = [
  ["SQLITE_FULL", "full"],
  ["SQLITE_READONLY", "read_only"],
  ["SQLITE_BUSY", "busy"],
  ["SQLITE_LOCKED", "busy"],
  ["SQLITE_IOERR", "io"],
  ["SQLITE_CANTOPEN", "io"],
  ["SQLITE_PROTOCOL", "io"],
  ["SQLITE_NOMEM", "resources"],
];

/** PostgreSQL SQLSTATEs (exact, or a class when two characters). */
const POSTGRES_FAULTS: Array<[state: string, kind: DatabaseFaultKind]> = [
  ["08", "unreachable"], // connection exception
  ["57P01", "unreachable"], // admin_shutdown: pg_terminate_backend, a fast shutdown
  ["57P02", "unreachable"], // crash_shutdown
  ["57P03", "unreachable"], // cannot_connect_now: starting up, shutting down, recovering
  ["57P05", "unreachable"], // idle_session_timeout
  ["25006", "read_only"], // read_only_sql_transaction
  ["53100", "full"], // disk_full
  ["53", "resources"], // out of memory, too many connections
  ["58", "io"], // system error (I/O)
  ["40001", "busy"], // serialization_failure: retrying is the answer
  ["40P01", "busy"], // deadlock_detected
  ["55P03", "busy"], // lock_not_available
  ["57014", "busy"], // query_canceled (statement or lock timeout)
];

const SYSTEM_ERRNOS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENOSPC",
  "EROFS",
]);

/** node-postgres and pg-pool say a connection is gone only in words. */
const CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Cannot use a pool after calling end on the pool/,
  /^Query read timeout/,
  // better-sqlite3, once the database was closed under a request (a node shutting down).
  /^The database connection is not open/,
];

function kindOf(error: Error & { code?: unknown; severity?: unknown }): DatabaseFaultKind | undefined {
  const code = typeof error.code === "string" ? error.code : "";
  if (code.startsWith("SQLITE_")) return SQLITE_FAULTS.find(([prefix]) => code.startsWith(prefix))?.[1];
  // A PostgreSQL server error: a SQLSTATE plus the severity the server sent with it.
  if (/^[0-9A-Z]{5}$/.test(code) && typeof error.severity === "string") {
    return POSTGRES_FAULTS.find(([state]) => (state.length === 2 ? code.startsWith(state) : code === state))?.[1];
  }
  if (SYSTEM_ERRNOS.has(code)) return code === "ENOSPC" ? "full" : code === "EROFS" ? "read_only" : "unreachable";
  if (CONNECTION_MESSAGES.some((pattern) => pattern.test(error.message))) return "unreachable";
  return undefined;
}

/**
 * The database fault behind `error` (itself, its `cause` chain, or the members of an
 * AggregateError, as `pg` reports a refused connection to every address of a host), else
 * undefined.
 */
export function databaseFaultOf(error: unknown): DatabaseFault | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  let found: DatabaseFault | undefined;
  while (queue.length > 0 && seen.size < 16) {
    const current = queue.shift();
    if (!(current instanceof Error) || seen.has(current)) continue;
    seen.add(current);
    const kind = kindOf(current);
    // The deepest fault wins: a wrapper's words are less precise than the driver's.
    const code = (current as { code?: unknown }).code;
    if (kind) found = { kind, cause: current, dbCode: typeof code === "string" ? code : undefined };
    if (current.cause !== undefined) queue.push(current.cause);
    if (current instanceof AggregateError) queue.push(...current.errors);
  }
  return found;
}

/** The log fields of a fault: the driver's own error, its kind and its code. */
export function faultLogFields(fault: DatabaseFault) {
  return { err: fault.cause, fault: fault.kind, dbCode: fault.dbCode };
}

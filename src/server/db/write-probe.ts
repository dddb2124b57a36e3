import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

/** How often the database is actually written to by the probe; answers in between are reused. */
export const WRITE_PROBE_INTERVAL_MS = 1_000;
/** A probe that has not answered by then counts as "cannot write" (a lock held, a server hung). */
export const WRITE_PROBE_TIMEOUT_MS = 2_000;

/** Thrown inside the PostgreSQL probe's transaction to roll it back. */
class ProbeRollback extends Error {}

/**
 * True when the database takes a write now. A read (`select 1`) answers from a full disk, a
 * read-only data directory and a read-only PostgreSQL alike, so `/readyz` writes one row:
 * - SQLite: an upsert that commits, so it reaches the WAL on disk (a full file system or a
 *   read-only mount fails it); one 8 KiB frame a second at most, reclaimed by checkpoints.
 * - PostgreSQL: the same upsert in a transaction that is rolled back (a read-only server, a
 *   standby or a dead connection fail it; nothing is left behind).
 * Probes run at most once per {@link WRITE_PROBE_INTERVAL_MS}; callers in between share the last
 * answer or the probe in flight, so polling `/readyz` hard cannot turn into write load.
 */
export function createWriteProbe(
  db: Kysely<Database>,
  dialect: "sqlite" | "postgres",
  options: { intervalMs?: number; timeoutMs?: number; now?: () => number } = {},
): () => Promise<boolean> {
  const intervalMs = options.intervalMs ?? WRITE_PROBE_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? WRITE_PROBE_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  let last: { at: number; answer: Promise<boolean> } | undefined;

  const write = async (executor: Kysely<Database>) => {
    await executor
      .insertInto("writeProbe")
      .values({ id: 1, probedAt: now() })
      .onConflict((oc) => oc.column("id").doUpdateSet((eb) => ({ probedAt: eb.ref("excluded.probedAt") })))
      .execute();
  };

  const probe = async (): Promise<boolean> => {
    const attempt =
      dialect === "sqlite"
        ? write(db)
        : db
            .transaction()
            .execute(async (trx) => {
              await write(trx);
              throw new ProbeRollback();
            })
            .catch((error: unknown) => {
              if (!(error instanceof ProbeRollback)) throw error;
            });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([attempt.then(() => true as const), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  };

  return () => {
    const at = now();
    if (!last || at - last.at >= intervalMs) last = { at, answer: probe() };
    return last.answer;
  };
}

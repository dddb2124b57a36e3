import type pg from "pg";
import { databaseFaultOf } from "../lib/db-faults.js";

/**
 * Makes a pooled PostgreSQL client leave the pool once one of its queries shows that the
 * connection cannot serve writes again: its server went away, or it talks to a server that is
 * read-only (a standby after a failover, `default_transaction_read_only` switched on). Such a
 * connection would fail every write it is given until it is closed, so the pool is recovered
 * only by replacing it: the client is ended, pg-pool drops an ended client when it is
 * released, and the next checkout opens a fresh connection (to whichever server is primary,
 * with the database's current settings). The service recovers without a restart.
 *
 * node-postgres has no hook for a failed query, so `query` is wrapped: both of its forms
 * (promise, used by Kysely; callback, used by `pool.query`) report to the same check, and the
 * caller gets the same result or error as before.
 */
export function retireClientsOnFault(pool: pg.Pool): void {
  pool.on("connect", (client) => {
    const retireOn = (error: unknown) => {
      const fault = databaseFaultOf(error);
      if (fault && (fault.kind === "read_only" || fault.kind === "unreachable")) void client.end().catch(() => undefined);
    };
    const query = client.query as (...args: unknown[]) => unknown;
    client.query = function (this: pg.Client, ...args: unknown[]) {
      const callback = args.at(-1);
      if (typeof callback === "function") {
        args[args.length - 1] = (error: unknown, ...rest: unknown[]) => {
          if (error) retireOn(error);
          return (callback as (...a: unknown[]) => unknown)(error, ...rest);
        };
        return query.apply(this, args);
      }
      const result = query.apply(this, args);
      if (result instanceof Promise) result.catch(retireOn);
      return result;
    } as typeof client.query;
  });
}

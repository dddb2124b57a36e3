import { defineRepo } from "../../db/repo.js";
import type { Executor, KeyChecksTable } from "../../db/schema.js";

/* The `key_checks` table: one known text per encryption key version, encrypted under that key. */

function keyCheckStatements(ex: Executor) {
  return {
    /** Every recorded key check, by version. */
    listKeyChecks(): Promise<KeyChecksTable[]> {
      return ex.selectFrom("keyChecks").selectAll().orderBy("version").execute();
    },

    /** Records the check of a version unless one exists (several nodes may start at once). */
    async insertKeyCheck(row: KeyChecksTable): Promise<void> {
      await ex
        .insertInto("keyChecks")
        .values(row)
        .onConflict((oc) => oc.column("version").doNothing())
        .execute();
    },
  };
}

export const createKeyChecksRepo = defineRepo(keyCheckStatements);
export type KeyChecksRepo = ReturnType<typeof createKeyChecksRepo>;

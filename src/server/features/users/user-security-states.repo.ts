import { defineRepo } from "../../db/repo.js";
import type { Executor, UserSecurityStatesTable } from "../../db/schema.js";

/*
 * The `user_security_states` table: a person's lockdown and email-verification state, one row
 * per person made on first write (an upsert on the primary key, the same on SQLite and
 * PostgreSQL). A person without a row has nothing pending and an unverified address.
 */

type StateChanges = Partial<Omit<UserSecurityStatesTable, "userId">>;

function userSecurityStatesStatements(ex: Executor) {
  /** Writes the given columns of the person's row, making it when missing. */
  async function save(userId: string, changes: StateChanges): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await ex
      .insertInto("userSecurityStates")
      .values({
        userId,
        passwordResetRequiredAt: null,
        previousEmail: null,
        emailChangedAt: null,
        emailVerifiedAt: null,
        ...changes,
      })
      .onConflict((oc) => oc.column("userId").doUpdateSet(changes))
      .execute();
  }

  return {
    save,

    /** The person's row, or undefined when nothing was ever recorded. */
    findState(userId: string): Promise<UserSecurityStatesTable | undefined> {
      return ex.selectFrom("userSecurityStates").selectAll().where("userId", "=", userId).executeTakeFirst();
    },

    /** True while a lockdown's "the password must be reset" holds. */
    async isPasswordResetRequired(userId: string): Promise<boolean> {
      const row = await ex
        .selectFrom("userSecurityStates")
        .select("passwordResetRequiredAt")
        .where("userId", "=", userId)
        .executeTakeFirst();
      return row?.passwordResetRequiredAt != null;
    },

    /** Clears "the password must be reset" (a new password was set); a no-op without a row. */
    async clearPasswordResetRequired(userId: string): Promise<void> {
      await ex
        .updateTable("userSecurityStates")
        .set({ passwordResetRequiredAt: null })
        .where("userId", "=", userId)
        .where("passwordResetRequiredAt", "is not", null)
        .execute();
    },

    /** Records that a link mailed to the person's current address was opened. */
    markEmailVerified(userId: string, now: number): Promise<void> {
      return save(userId, { emailVerifiedAt: now });
    },
  };
}

/** The `user_security_states` repository. */
export const createUserSecurityStatesRepo = defineRepo(userSecurityStatesStatements);
export type UserSecurityStatesRepo = ReturnType<typeof createUserSecurityStatesRepo>;

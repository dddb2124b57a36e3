import type { Updateable } from "kysely";
import type { EndReason } from "../../../contracts/sessions.js";
import { defineRepo } from "../../db/repo.js";
import type { Executor, UsersTable } from "../../db/schema.js";

/*
 * The `users` table: every statement that reads or writes a person's row, for every feature that
 * needs one (sign-in, General, password, provisioning, invitations, deletion, and the session
 * engine's generation columns). Features receive the repository; none writes SQL on `users`.
 */

/** The display preferences a new person starts with (they change them in General). */
export const NEW_USER_DEFAULTS = {
  locale: "en-GB",
  timezone: "UTC",
  dateFormat: "YYYY-MM-DD",
  timeFormat: "24h",
} as const satisfies Pick<UsersTable, "locale" | "timezone" | "dateFormat" | "timeFormat">;

/** Who a new person is; everything else starts from the product's defaults. */
export interface NewUserInput {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  /** argon2id PHC string, or null for a person who sets a password later. */
  passwordHash: string | null;
}

/** The row of a new person with the product's defaults (no phone or job title, no news mail). */
export function newUserRow(input: NewUserInput, now: number): UsersTable {
  return {
    id: input.id,
    email: input.email,
    firstName: input.firstName,
    lastName: input.lastName,
    phone: null,
    jobTitle: null,
    ...NEW_USER_DEFAULTS,
    newsOptIn: 0,
    newsOptInChangedAt: null,
    passwordHash: input.passwordHash,
    passwordChangedAt: input.passwordHash ? now : null,
    createdAt: now,
    updatedAt: now,
    sessionGeneration: 0,
    unsettledCutAt: null,
    unsettledCutReason: null,
  };
}

/** A person's pending cut of all their sessions, as `users` holds it (docs/design/session-cuts.md). */
export type PendingCut = Pick<UsersTable, "sessionGeneration" | "unsettledCutAt" | "unsettledCutReason">;

/** What an alert mail needs of its recipient. */
export type MailRecipient = Pick<UsersTable, "email" | "firstName" | "timezone" | "dateFormat" | "timeFormat" | "locale">;

function usersStatements(ex: Executor) {
  /** Writes the given columns of one person. */
  async function update(userId: string, values: Updateable<UsersTable>): Promise<void> {
    await ex.updateTable("users").set(values).where("id", "=", userId).execute();
  }

  return {
    /** Stores a new person (the email's unique index refuses a second row with the same address). */
    async insert(row: UsersTable): Promise<void> {
      await ex.insertInto("users").values(row).execute();
    },

    /** The person with this id, or undefined. */
    findById(id: string): Promise<UsersTable | undefined> {
      return ex.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    },

    /** The person with this (lower-cased) email, or undefined. */
    findByEmail(email: string): Promise<UsersTable | undefined> {
      return ex.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
    },

    /** True when someone (other than `exceptUserId`) already holds this (lower-cased) address. */
    async isEmailTaken(email: string, exceptUserId?: string): Promise<boolean> {
      let query = ex.selectFrom("users").select("id").where("email", "=", email);
      if (exceptUserId) query = query.where("id", "!=", exceptUserId);
      return (await query.executeTakeFirst()) !== undefined;
    },

    /** How many people exist. */
    async count(): Promise<number> {
      const row = await ex
        .selectFrom("users")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    update,

    /** Stores the hash of a new password, and when it changed. */
    setPasswordHash(userId: string, hash: string, now: number): Promise<void> {
      return update(userId, { passwordHash: hash, passwordChangedAt: now, updatedAt: now });
    },

    /** Replaces the hash of the same password (stronger parameters): the password did not change. */
    replacePasswordHash(userId: string, hash: string): Promise<void> {
      return update(userId, { passwordHash: hash });
    },

    /** The person's name, address and display preferences, for an alert mail. */
    findMailRecipient(userId: string): Promise<MailRecipient | undefined> {
      return ex
        .selectFrom("users")
        .select(["email", "firstName", "timezone", "dateFormat", "timeFormat", "locale"])
        .where("id", "=", userId)
        .executeTakeFirst();
    },

    /** Erases the person's row; the foreign keys take what hangs from it. True when it existed. */
    async delete(userId: string): Promise<boolean> {
      const result = await ex.deleteFrom("users").where("id", "=", userId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    /**
     * The person's session generation, with their row locked until the transaction ends (a no-op
     * update: SQLite has no `FOR UPDATE`, and serializes writes anyway). 0 for an unknown person.
     */
    async lockSessionGeneration(userId: string): Promise<number> {
      const row = await ex
        .updateTable("users")
        .set((eb) => ({ sessionGeneration: eb.ref("sessionGeneration") }))
        .where("id", "=", userId)
        .returning("sessionGeneration")
        .executeTakeFirst();
      return row?.sessionGeneration ?? 0;
    },

    /** The person's current generation and the cut still being settled, if any. */
    findPendingCut(userId: string): Promise<PendingCut | undefined> {
      return ex
        .selectFrom("users")
        .select(["sessionGeneration", "unsettledCutAt", "unsettledCutReason"])
        .where("id", "=", userId)
        .executeTakeFirst();
    },

    /** Records a cut: the generation moves on; the sessions left behind are to be settled with its time and reason. */
    recordCut(userId: string, cut: { generation: number; at: number; reason: EndReason }): Promise<void> {
      return update(userId, { sessionGeneration: cut.generation, unsettledCutAt: cut.at, unsettledCutReason: cut.reason });
    },

    /** Clears the pending cut once settled, unless a newer cut (another generation) owns the marker now. */
    async clearPendingCut(userId: string, generation: number): Promise<void> {
      await ex
        .updateTable("users")
        .set({ unsettledCutAt: null, unsettledCutReason: null })
        .where("id", "=", userId)
        .where("sessionGeneration", "=", generation)
        .execute();
    },

    /** People whose last cut is still being settled, oldest first (`users_unsettled_cut_idx`). */
    pendingCutsQuery(limit: number) {
      return ex.selectFrom("users").select("id").where("unsettledCutAt", "is not", null).orderBy("unsettledCutAt").limit(limit);
    },
  };
}

/** The `users` repository. */
export const createUsersRepo = defineRepo(usersStatements);
export type UsersRepo = ReturnType<typeof createUsersRepo>;

import type { Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";

/** A Kysely instance or an open transaction. */
export type Executor = Kysely<Database>;

/** `one_time_tokens.purpose` of a password-reset link (the sign-in feature issues them). */
const PASSWORD_RESET_PURPOSE = "password_reset";

/** Stores a new password hash and when it changed. */
export async function updatePasswordHash(executor: Executor, userId: string, hash: string, now: number): Promise<void> {
  await executor
    .updateTable("users")
    .set({ passwordHash: hash, passwordChangedAt: now, updatedAt: now })
    .where("id", "=", userId)
    .execute();
}

/** Retires open password-reset links: a link mailed before the change must not undo it. */
export async function retireResetLinks(executor: Executor, userId: string, now: number): Promise<void> {
  await executor
    .updateTable("oneTimeTokens")
    .set({ usedAt: now })
    .where("userId", "=", userId)
    .where("purpose", "=", PASSWORD_RESET_PURPOSE)
    .where("usedAt", "is", null)
    .execute();
}

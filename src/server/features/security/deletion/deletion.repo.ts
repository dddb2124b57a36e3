import type { Executor } from "../../../db/schema.js";

export type { Executor };

/** Security events keep only the pseudonymous id once their person is gone. */
export async function pseudonymizeEvents(executor: Executor, userId: string, pseudonym: string): Promise<number> {
  const result = await executor
    .updateTable("securityEvents")
    .set({ userId: pseudonym })
    .where("userId", "=", userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Sent or abandoned mail keeps no address of the person (their bodies are erased by the mailer already); pending notices still go out. */
export async function forgetSentMailAddress(executor: Executor, email: string): Promise<void> {
  await executor
    .updateTable("mailOutbox")
    .set({ toAddress: "(erased)" })
    .where("toAddress", "=", email)
    .where("status", "!=", "pending")
    .execute();
}

/** Throttle rows keyed by the person's id. */
export async function deleteThrottles(executor: Executor, keys: string[]): Promise<void> {
  if (keys.length > 0) await executor.deleteFrom("throttles").where("key", "in", keys).execute();
}

/**
 * Erases the person. Foreign keys (ON DELETE CASCADE, enforced on SQLite by `foreign_keys=ON`)
 * take their sessions, MFA factor, recovery codes, memberships, known devices and one-time
 * tokens with them.
 */
export async function deleteUser(executor: Executor, userId: string): Promise<boolean> {
  const result = await executor.deleteFrom("users").where("id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

import type { Updateable } from "kysely";
import type { Executor, UsersTable } from "../../db/schema.js";

/**
 * The `users` table, for every feature that reads or writes a person's row (sign-in, General,
 * password, operator provisioning, invitations). Kysely only.
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

/** Stores a new person (the email's unique index refuses a second row with the same address). */
export async function insertUser(executor: Executor, row: UsersTable): Promise<void> {
  await executor.insertInto("users").values(row).execute();
}

/** The person with this id, or undefined. */
export function findUserById(executor: Executor, id: string): Promise<UsersTable | undefined> {
  return executor.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The person with this (lower-cased) email, or undefined. */
export function findUserByEmail(executor: Executor, email: string): Promise<UsersTable | undefined> {
  return executor.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

/** True when someone (other than `exceptUserId`) already holds this (lower-cased) address. */
export async function isEmailTaken(executor: Executor, email: string, exceptUserId?: string): Promise<boolean> {
  let query = executor.selectFrom("users").select("id").where("email", "=", email);
  if (exceptUserId) query = query.where("id", "!=", exceptUserId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** How many people exist. */
export async function countUsers(executor: Executor): Promise<number> {
  const row = await executor
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Writes the given columns of one person. */
export async function updateUser(executor: Executor, userId: string, values: Updateable<UsersTable>): Promise<void> {
  await executor.updateTable("users").set(values).where("id", "=", userId).execute();
}

/** Stores the hash of a new password, and when it changed. */
export async function setPasswordHash(executor: Executor, userId: string, hash: string, now: number): Promise<void> {
  await updateUser(executor, userId, { passwordHash: hash, passwordChangedAt: now, updatedAt: now });
}

/** Replaces the hash of the same password (stronger parameters): the password did not change. */
export async function replacePasswordHash(executor: Executor, userId: string, hash: string): Promise<void> {
  await updateUser(executor, userId, { passwordHash: hash });
}

/** True when the person has a confirmed authenticator (TOTP): sign-in needs the code step, `mfaEnabled` of the user JSON. */
export async function hasConfirmedMfa(executor: Executor, userId: string): Promise<boolean> {
  const row = await executor
    .selectFrom("mfaFactors")
    .select("id")
    .where("userId", "=", userId)
    .where("type", "=", "totp")
    .where("confirmedAt", "is not", null)
    .executeTakeFirst();
  return row !== undefined;
}

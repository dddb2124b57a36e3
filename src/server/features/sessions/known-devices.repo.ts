import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";

/** Kysely queries of `known_devices` (browser + OS a person signed in from, and when). */
export function createKnownDevicesRepo() {
  /** When the person last signed in from this device, or undefined if never. */
  async function findLastSeen(executor: Kysely<Database>, userId: string, deviceKey: string): Promise<number | undefined> {
    const row = await executor
      .selectFrom("knownDevices")
      .select("lastSeenAt")
      .where("userId", "=", userId)
      .where("deviceKey", "=", deviceKey)
      .executeTakeFirst();
    return row?.lastSeenAt;
  }

  /** True when the person has signed in from any device before. */
  async function hasAnyDevice(executor: Kysely<Database>, userId: string): Promise<boolean> {
    const row = await executor
      .selectFrom("knownDevices")
      .select("deviceKey")
      .where("userId", "=", userId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Records a sign-in from the device now (insert or move last-seen forward). */
  async function touchDevice(executor: Kysely<Database>, userId: string, deviceKey: string, now: number): Promise<void> {
    await executor
      .insertInto("knownDevices")
      .values({ userId, deviceKey, firstSeenAt: now, lastSeenAt: now })
      .onConflict((oc) => oc.columns(["userId", "deviceKey"]).doUpdateSet({ lastSeenAt: now }))
      .execute();
  }

  /** The person's name, address and display preferences, for the alert mail. */
  async function findRecipient(executor: Kysely<Database>, userId: string) {
    return executor
      .selectFrom("users")
      .select(["email", "firstName", "timezone", "dateFormat", "timeFormat", "locale"])
      .where("id", "=", userId)
      .executeTakeFirst();
  }

  return { findLastSeen, hasAnyDevice, touchDevice, findRecipient };
}

export type KnownDevicesRepo = ReturnType<typeof createKnownDevicesRepo>;

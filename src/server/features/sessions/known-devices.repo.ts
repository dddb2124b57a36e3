import { defineRepo } from "../../db/repo.js";
import type { Executor } from "../../db/schema.js";

/** The `known_devices` table: browser + OS a person signed in from, and when. */
function knownDevicesStatements(ex: Executor) {
  return {
    /** When the person last signed in from this device, or undefined if never. */
    async findLastSeen(userId: string, deviceKey: string): Promise<number | undefined> {
      const row = await ex
        .selectFrom("knownDevices")
        .select("lastSeenAt")
        .where("userId", "=", userId)
        .where("deviceKey", "=", deviceKey)
        .executeTakeFirst();
      return row?.lastSeenAt;
    },

    /** Every device the person signed in from, most recent first. */
    listOfUser(userId: string) {
      return ex
        .selectFrom("knownDevices")
        .select(["deviceKey", "firstSeenAt", "lastSeenAt"])
        .where("userId", "=", userId)
        .orderBy("lastSeenAt", "desc")
        .execute();
    },

    /** True when the person has signed in from any device before. */
    async hasAnyDevice(userId: string): Promise<boolean> {
      const row = await ex
        .selectFrom("knownDevices")
        .select("deviceKey")
        .where("userId", "=", userId)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Records a sign-in from the device now (insert or move last-seen forward). */
    async touchDevice(userId: string, deviceKey: string, now: number): Promise<void> {
      await ex
        .insertInto("knownDevices")
        .values({ userId, deviceKey, firstSeenAt: now, lastSeenAt: now })
        .onConflict((oc) => oc.columns(["userId", "deviceKey"]).doUpdateSet({ lastSeenAt: now }))
        .execute();
    },
  };
}

export const createKnownDevicesRepo = defineRepo(knownDevicesStatements);
export type KnownDevicesRepo = ReturnType<typeof createKnownDevicesRepo>;

import type { PasskeysSource } from "../users/person-sources.js";
import type { PasskeysRepo } from "./passkeys.repo.js";
import { authenticatorNameOf } from "./relying-party.js";

/** The person's passkeys as lockdown, the checkup and the export read them: metadata only. */
export function passkeysSourceOf(passkeys: PasskeysRepo): PasskeysSource {
  return {
    listForUser: async (userId) =>
      (await passkeys.listForUser(userId)).map((row) => ({
        id: row.id,
        name: row.name,
        createdAt: row.createdAt,
        lastUsedAt: row.lastUsedAt,
        authenticator: authenticatorNameOf(row.aaguid),
        backedUp: row.backedUp === 1,
      })),
  };
}

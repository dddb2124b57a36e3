import type { PasskeyDto } from "../../../contracts/passkeys.js";
import type { PasskeysTable } from "../../db/schema.js";
import { toIsoOrNull } from "../../lib/clock.js";
import { authenticatorNameOf } from "./relying-party.js";

/** A passkey as the Security page shows it: never its key, credential id or user handle. */
export function presentPasskey(row: PasskeysTable): PasskeyDto {
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: toIsoOrNull(row.lastUsedAt),
    authenticator: authenticatorNameOf(row.aaguid),
    backedUp: row.backedUp === 1,
  };
}

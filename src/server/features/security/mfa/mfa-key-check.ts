import type { Kysely } from "kysely";
import { ConfigError } from "../../../config.js";
import type { Database } from "../../../db/schema.js";

/**
 * Refuses to start when TOTP secrets in the database were encrypted under a key version that
 * ENCRYPTION_KEYS no longer lists (checklist J1: "a missing key → the service refuses to
 * start"). Running on would lock every such person out silently, since their codes would fail
 * closed; stopping with the reason lets the operator restore the key (keep old versions listed
 * after a rotation).
 */
export async function assertTotpKeysConfigured(db: Kysely<Database>, versions: readonly number[]): Promise<void> {
  let query = db.selectFrom("mfaFactors").select("secretEncrypted");
  // `v<version>.` prefixes the ciphertext (lib/crypto/encrypt.ts); digits and dots need no LIKE escaping.
  for (const version of versions) query = query.where("secretEncrypted", "not like", `v${version}.%`);
  const orphans = await query.limit(100).execute();
  if (orphans.length === 0) return;
  const missing = [...new Set(orphans.map((row) => /^v(\d+)\./.exec(row.secretEncrypted)?.[1] ?? "unknown"))].sort();
  throw new ConfigError([
    `ENCRYPTION_KEYS: TOTP secrets in the database were encrypted with key version(s) ${missing.join(", ")}, which ENCRYPTION_KEYS does not list. Add the old key(s) back (the first key encrypts, all listed keys decrypt).`,
  ]);
}

import { ConfigError } from "../../config.js";
import type { Clock } from "../../lib/clock.js";
import { createEncryptor, type EncryptionKey } from "../../lib/crypto/encrypt.js";
import type { KeyChecksRepo } from "./key-checks.repo.js";

/** The text every key check encrypts; a key that decrypts it back is the key the database knew. */
const KEY_CHECK_TEXT = "Profile Center key check";

export interface KeyCheckDeps {
  keyChecks: KeyChecksRepo;
  clock: Clock;
  /** Up to `limit` stored ciphertexts made under a key version (TOTP secrets…), to try when no check exists yet. */
  sampleCiphertexts: (version: number, limit: number) => Promise<string[]>;
}

/**
 * Never new keys over old data. The database records, per key version, a known text encrypted
 * under that key. At start, every configured version with a recorded check must decrypt it: a
 * regenerated, mistyped or swapped key is refused before anything is written with it, naming
 * `ENCRYPTION_KEYS` (otherwise every person with MFA would be locked out silently). A version
 * without a check yet (first start, a new key, a database from before key checks) is first tried
 * on data already stored under it, then gets its check recorded.
 */
export async function verifyEncryptionKeys(deps: KeyCheckDeps, keys: readonly EncryptionKey[]): Promise<void> {
  const recorded = new Map((await deps.keyChecks.listKeyChecks()).map((row) => [row.version, row.value]));
  const wrong: number[] = [];
  // Sorted out below: a version with a check recorded is verified against it; the others get one.
  const unchecked: EncryptionKey[] = [];
  for (const key of keys) {
    const encryptor = createEncryptor([key]);
    const check = recorded.get(key.version);
    if (check !== undefined) {
      if (encryptor.decryptString(check) !== KEY_CHECK_TEXT) wrong.push(key.version);
      continue;
    }
    const samples = await deps.sampleCiphertexts(key.version, 3);
    if (samples.some((sample) => encryptor.decrypt(sample) === undefined)) wrong.push(key.version);
    else unchecked.push(key);
  }
  if (wrong.length > 0) {
    throw new ConfigError([
      `ENCRYPTION_KEYS: key version(s) ${wrong.join(", ")} cannot decrypt what this database holds: they are not the keys ` +
        "its data was encrypted with. Configure the original keys (from your backup of ENCRYPTION_KEYS, or " +
        "DATA_DIR/encryption-keys if it was generated there). Profile Center never makes new keys over existing encrypted data.",
    ]);
  }
  if (unchecked.length === 0) return;
  for (const key of unchecked) {
    await deps.keyChecks.insertKeyCheck({
      version: key.version,
      value: createEncryptor([key]).encrypt(KEY_CHECK_TEXT),
      createdAt: deps.clock.now(),
    });
  }
  // Another node may have recorded its own check for a version first (nodes starting together on
  // a new database with different keys): the check that was kept decides, here too.
  await verifyEncryptionKeys(deps, unchecked);
}

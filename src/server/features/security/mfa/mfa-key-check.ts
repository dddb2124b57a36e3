import { ConfigError } from "../../../config.js";
import type { MfaRepo } from "./mfa.repo.js";

/**
 * Refuses to start when TOTP secrets in the database were encrypted under a key version that
 * ENCRYPTION_KEYS no longer lists (checklist J1: "a missing key → the service refuses to
 * start"). Running on would lock every such person out silently, since their codes would fail
 * closed; stopping with the reason lets the operator restore the key (keep old versions listed
 * after a rotation).
 */
export async function assertTotpKeysConfigured(mfaFactors: MfaRepo, versions: readonly number[]): Promise<void> {
  const orphans = await mfaFactors.findSecretsOutsideKeyVersions(versions, 100);
  if (orphans.length === 0) return;
  const missing = [...new Set(orphans.map((secret) => /^v(\d+)\./.exec(secret)?.[1] ?? "unknown"))].sort();
  throw new ConfigError([
    `ENCRYPTION_KEYS: TOTP secrets in the database were encrypted with key version(s) ${missing.join(", ")}, which ENCRYPTION_KEYS does not list. Add the old key(s) back (the first key encrypts, all listed keys decrypt).`,
  ]);
}

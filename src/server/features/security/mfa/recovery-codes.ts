import { randomInt } from "node:crypto";
import { LIMITS } from "../../../../contracts/limits.js";

/*
 * Recovery codes (NIST SP 800-63B "look-up secrets", ASVS 6.5.2/6.5.4, checklist B10).
 *
 * A code is 12 characters of Crockford base32 (60 bits from the CSPRNG), shown as
 * `xxxx-xxxx-xxxx`. Below 112 bits, so it is stored as an argon2id hash with a salt (ASVS
 * 6.5.2). To verify only ONE argon2 hash per attempt (a wrong code must not cost ten KDF runs),
 * the first 4 characters double as a lookup id, unique among the person's codes and stored in
 * clear next to the hash: `<lookup>:<argon2id PHC>`. The other 40 bits stay secret; with the code
 * step throttled to 5 tries per 5 minutes that is far beyond reach, and offline it costs an
 * argon2id run per guess.
 */

/** How many codes a person gets. */
export const RECOVERY_CODE_COUNT: number = LIMITS.recoveryCodeCount;
/** Characters in a code (without dashes). */
export const RECOVERY_CODE_LENGTH = 12;
const LOOKUP_LENGTH = 4;
/** Crockford base32, lower case: no i, l, o, u (no look-alikes). */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const CODE_PATTERN = new RegExp(`^[${ALPHABET}]{${RECOVERY_CODE_LENGTH}}$`);

function randomCode(): string {
  let out = "";
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** `abcd-efgh-jkmn`: how a code is shown and downloaded. */
export function formatRecoveryCode(normalized: string): string {
  return normalized.match(/.{1,4}/g)?.join("-") ?? normalized;
}

/** A fresh set of codes (normalized form), their lookup ids pairwise distinct. */
export function generateRecoveryCodes(count: number = RECOVERY_CODE_COUNT): string[] {
  const codes: string[] = [];
  const lookups = new Set<string>();
  while (codes.length < count) {
    const code = randomCode();
    if (lookups.has(lookupOf(code))) continue;
    lookups.add(lookupOf(code));
    codes.push(code);
  }
  return codes;
}

/**
 * The canonical form of what a person typed, or undefined when it cannot be a recovery code.
 * Forgiving like Crockford base32: case, spaces and dashes are ignored, o→0 and i/l→1.
 */
export function normalizeRecoveryCode(input: string): string | undefined {
  const code = input.toLowerCase().replace(/[\s-]/g, "").replace(/o/g, "0").replace(/[il]/g, "1");
  return CODE_PATTERN.test(code) ? code : undefined;
}

/** The lookup id of a normalized code. */
export function lookupOf(normalized: string): string {
  return normalized.slice(0, LOOKUP_LENGTH);
}

/** The stored form: `<lookup>:<argon2id PHC of the whole code>`. */
export function storedRecoveryCode(normalized: string, phc: string): string {
  return `${lookupOf(normalized)}:${phc}`;
}

/** Splits a stored value into its lookup id and hash. */
export function parseStoredRecoveryCode(stored: string): { lookup: string; phc: string } | undefined {
  const at = stored.indexOf(":");
  if (at !== LOOKUP_LENGTH) return undefined;
  return { lookup: stored.slice(0, at), phc: stored.slice(at + 1) };
}

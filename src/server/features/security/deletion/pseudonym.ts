import { createHmac, hkdfSync } from "node:crypto";

/**
 * The id security events keep after a person is deleted: `deleted:<22 base64url chars>`.
 *
 * A plain hash of the user id would be no pseudonym at all: ids have 10^9 values
 * (`UR-123-456-789`), so anyone with the database could hash them all and link the events back.
 * A keyed HMAC under a key derived from the server's encryption key (HKDF, with its own purpose
 * label, so the encryption key itself is never used for two things) cannot be reversed without
 * that key, yet stays stable, so an operator can still see that events belong together.
 */
export function pseudonymousUserId(userId: string, serverKey: Uint8Array): string {
  const key = Buffer.from(hkdfSync("sha256", serverKey, "profile-center", "deleted-user pseudonym v1", 32));
  const mac = createHmac("sha256", key).update(userId, "utf8").digest();
  return `deleted:${mac.subarray(0, 16).toString("base64url")}`;
}

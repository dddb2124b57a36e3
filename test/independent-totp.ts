import { createHmac } from "node:crypto";

/*
 * An INDEPENDENT RFC 6238 implementation for tests (HMAC-SHA1, dynamic truncation, RFC 4226 §5.3),
 * so the product's TOTP code (built on the `otpauth` library) is never checked against itself.
 */

/** The TOTP code of `secret` at `atMs` (30-second steps). */
export function independentTotp(secret: Uint8Array, atMs: number, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / 30)));
  const mac = createHmac("sha1", Buffer.from(secret)).update(counter).digest();
  const offset = (mac[19] ?? 0) & 0xf;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** digits).padStart(digits, "0");
}

/** RFC 4648 base32 decoding, independent of the product's. */
export function decodeBase32(text: string): Uint8Array {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of text.replace(/=+$/, "")) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${ch}`);
    bits += index.toString(2).padStart(5, "0");
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return new Uint8Array(bytes);
}

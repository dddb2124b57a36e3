import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** One AES-256-GCM key with its version number (carried in every ciphertext). */
export interface EncryptionKey {
  version: number;
  key: Uint8Array;
}

/**
 * AES-256-GCM with versioned keys: `v<version>.<iv>.<ciphertext>.<tag>` (base64url parts).
 * The first key encrypts; any listed key decrypts, so keys can rotate. Tampering fails closed.
 */
export interface Encryptor {
  encrypt(plaintext: string | Uint8Array): string;
  /** The plaintext bytes, or undefined when the value is malformed, tampered or its key unknown. */
  decrypt(ciphertext: string): Uint8Array | undefined;
  decryptString(ciphertext: string): string | undefined;
}

export function createEncryptor(keys: readonly EncryptionKey[]): Encryptor {
  const primary = keys[0];
  if (!primary) throw new Error("at least one encryption key is required");
  const byVersion = new Map(keys.map((k) => [k.version, k.key]));

  function decrypt(value: string): Uint8Array | undefined {
    const match = /^v(\d+)\.([\w-]+)\.([\w-]*)\.([\w-]+)$/.exec(value);
    if (!match) return undefined;
    const key = byVersion.get(Number(match[1]));
    if (!key) return undefined;
    try {
      const iv = Buffer.from(match[2]!, "base64url");
      const tag = Buffer.from(match[4]!, "base64url");
      if (iv.length !== 12 || tag.length !== 16) return undefined;
      const decipher = createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAuthTag(tag);
      const out = Buffer.concat([decipher.update(Buffer.from(match[3]!, "base64url")), decipher.final()]);
      return new Uint8Array(out);
    } catch {
      return undefined;
    }
  }

  return {
    encrypt(plaintext) {
      const iv = randomBytes(12); // 96-bit random nonce (NIST SP 800-38D)
      const cipher = createCipheriv("aes-256-gcm", primary.key, iv);
      const data = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext;
      const ct = Buffer.concat([cipher.update(data), cipher.final()]);
      return `v${primary.version}.${iv.toString("base64url")}.${ct.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
    },
    decrypt,
    decryptString(value) {
      const bytes = decrypt(value);
      return bytes ? Buffer.from(bytes).toString("utf8") : undefined;
    },
  };
}

import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { Clock } from "../../lib/clock.js";
import type { Encryptor } from "../../lib/crypto/encrypt.js";
import type { OidcClientsRepo } from "./oidc-clients.repo.js";

/*
 * The provider's keys, shared by every node through the database and encrypted at rest with
 * ENCRYPTION_KEYS: RSA signing keys (RS256, what every relying party verifies by default) and the
 * keys that sign the provider's cookies. Generated at first start; `rotate-signing-key` adds a
 * key that signs from then on, and the replaced one stays published until everything it signed
 * has expired.
 */

/** A private signing key as the provider takes it (a JWK with `kid`, `alg`, `use`). */
export type SigningJwk = Record<string, unknown> & { kid: string };

export interface OidcKeySet {
  /** Private signing keys: the one that signs first, then the retired ones still published. */
  signing: SigningJwk[];
  /** Cookie keys, newest first (the first signs, all verify). */
  cookieKeys: string[];
  /** Changes whenever the set does (nodes compare it to pick up a rotation). */
  version: string;
}

export class KeysUnreadableError extends Error {
  constructor() {
    super(
      "ENCRYPTION_KEYS cannot decrypt the single sign-on keys stored in the database; set ENCRYPTION_KEYS to the keys this database was made with",
    );
  }
}

function newSigningKey(): SigningJwk {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomBytes(12).toString("base64url");
  return { ...(privateKey.export({ format: "jwk" }) as Record<string, unknown>), kid, alg: "RS256", use: "sig" };
}

export interface OidcKeysDeps {
  clients: OidcClientsRepo;
  encryptor: Encryptor;
  clock: Clock;
  /** How long what a key signed stays valid (ID tokens), so a replaced key stays published that long. */
  signedLifetimeMs: number;
}

export function createOidcKeys({ clients, encryptor, clock, signedLifetimeMs }: OidcKeysDeps) {
  async function insertSigningKey(): Promise<string> {
    const jwk = newSigningKey();
    await clients.insertKey({
      kid: jwk.kid,
      kind: "signing",
      materialEncrypted: encryptor.encrypt(JSON.stringify(jwk)),
      createdAt: clock.now(),
      retireAt: null,
    });
    return jwk.kid;
  }

  /**
   * Reads the key set, making the missing keys at first start. Refuses (KeysUnreadableError) when
   * a stored key cannot be decrypted: it never makes new keys over existing encrypted ones.
   */
  async function load(): Promise<OidcKeySet> {
    let rows = await clients.listKeys();
    const now = clock.now();
    const missingSigning = !rows.some((r) => r.kind === "signing" && (r.retireAt === null || r.retireAt > now));
    const missingCookie = !rows.some((r) => r.kind === "cookie");
    if (missingSigning || missingCookie) {
      // A key that cannot be read is never replaced silently.
      for (const row of rows) if (encryptor.decryptString(row.materialEncrypted) === undefined) throw new KeysUnreadableError();
      if (missingSigning) await insertSigningKey();
      if (missingCookie) {
        await clients.insertKey({
          kid: randomBytes(12).toString("base64url"),
          kind: "cookie",
          materialEncrypted: encryptor.encrypt(randomBytes(32).toString("base64url")),
          createdAt: now,
          retireAt: null,
        });
      }
      rows = await clients.listKeys();
    }
    const live = rows.filter((r) => r.retireAt === null || r.retireAt > now);
    const decrypt = (value: string) => {
      const plain = encryptor.decryptString(value);
      if (plain === undefined) throw new KeysUnreadableError();
      return plain;
    };
    // The newest key still signing signs; then the retired ones (published for verification only).
    const signingRows = live
      .filter((r) => r.kind === "signing")
      .sort((a, b) => Number(a.retireAt !== null) - Number(b.retireAt !== null) || b.createdAt - a.createdAt);
    const cookieRows = live.filter((r) => r.kind === "cookie").sort((a, b) => b.createdAt - a.createdAt);
    return {
      signing: signingRows.map((r) => JSON.parse(decrypt(r.materialEncrypted)) as SigningJwk),
      cookieKeys: cookieRows.map((r) => decrypt(r.materialEncrypted)),
      version: live.map((r) => `${r.kid}:${r.retireAt ?? ""}`).join(","),
    };
  }

  /**
   * Adds a signing key that signs from now on; the keys it replaces stay published until what
   * they signed has expired, then are deleted. Returns the new key's id.
   */
  async function rotateSigningKey(): Promise<{ kid: string; previousPublishedUntil: number }> {
    const now = clock.now();
    await clients.deleteRetiredKeys(now);
    const kid = await insertSigningKey();
    const retireAt = now + signedLifetimeMs;
    await clients.retireSigningKeys(kid, retireAt);
    return { kid, previousPublishedUntil: retireAt };
  }

  return { load, rotateSigningKey };
}

export type OidcKeys = ReturnType<typeof createOidcKeys>;

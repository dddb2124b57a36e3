/** Limits shared by the server's validation and the web forms. */
export const LIMITS = {
  /** Bodies of sign-in and password routes are capped before any hashing (H6). */
  authBodyBytes: 4096,
  /** Bodies carrying a WebAuthn response (an attestation may hold a certificate chain). */
  passkeyBodyBytes: 32 * 1024,
  /** Passkeys one person may register. */
  passkeysMax: 20,
  /** Any other JSON body. */
  bodyBytes: 64 * 1024,
  nameMaxLength: 64,
  emailMaxLength: 254,
  /** Minimum password length in code points when PASSWORD_MIN_LENGTH is unset (NIST 800-63B-4). */
  passwordMinLength: 15,
  /** Never configurable below this (ASVS 6.2.1). */
  passwordMinLengthFloor: 8,
  /** Longest password accepted, in code points (ASVS 6.2.9 asks for at least 64). */
  passwordMaxLength: 256,
  /** Recovery codes issued at MFA activation. */
  recoveryCodeCount: 10,
  pageSizeDefault: 20,
  pageSizeMax: 100,
  tokenMaxLength: 256,
} as const;

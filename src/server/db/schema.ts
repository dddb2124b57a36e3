/*
 * Table types (Kysely, camelCase via CamelCasePlugin). Conventions that hold on SQLite and
 * PostgreSQL alike: timestamps are epoch milliseconds (bigint), flags are integers 0/1, JSON is
 * text. IDs are random strings in the platform's formats, never sequential.
 */

import type { Kysely } from "kysely";

export interface UsersTable {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  jobTitle: string | null;
  locale: string;
  timezone: string;
  dateFormat: string;
  timeFormat: string;
  newsOptIn: number;
  newsOptInChangedAt: number | null;
  /** argon2id PHC string; null until a password is set. */
  passwordHash: string | null;
  passwordChangedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /**
   * Goes up each time all of the person's sessions are ended at once; a session is valid only
   * while its `generation` equals this (session-cuts.ts).
   */
  sessionGeneration: number;
  /** When the last such cut happened, while some of its sessions are not yet marked ended (else null). */
  unsettledCutAt: number | null;
  /** That cut's end reason, for the rows still to be marked. */
  unsettledCutReason: string | null;
}

export interface AccountsTable {
  id: string;
  name: string;
  type: string;
  mfaPolicy: string;
  createdAt: number;
  updatedAt: number;
}

export interface AccountGroupsTable {
  id: string;
  accountId: string;
  name: string;
  isAdmin: number;
  createdAt: number;
}

export interface AccountMembershipsTable {
  accountId: string;
  userId: string;
  joinedAt: number;
}

export interface GroupMembershipsTable {
  groupId: string;
  userId: string;
  accountId: string;
  addedAt: number;
}

export interface SessionsTable {
  /** Opaque public id (used in URLs); never the token. */
  id: string;
  /** SHA-256 (base64url) of the cookie token; the token itself is never stored. */
  tokenHash: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  /** Absolute end of life (SESSION_MAX_HOURS, or 5 minutes while MFA is pending). */
  expiresAt: number;
  /** Last time a factor was presented (password, code, re-authentication). */
  authenticatedAt: number;
  /** 1 while only the password step is done and the code step is due. */
  mfaPending: number;
  /** 1 when a second factor was used in this session. */
  mfaVerified: number;
  activeAccountId: string | null;
  /** Why the session last left an account (e.g. policy now requires MFA); shown once. */
  notice: string | null;
  ip: string | null;
  userAgent: string | null;
  endedAt: number | null;
  endReason: string | null;
  /** The person's `session_generation` when this session was made (or kept by a cut). */
  generation: number;
  /**
   * How the session was signed in: RFC 8176 `amr` values separated by single spaces, in the order
   * they were presented (`pwd`, `otp`, `hwk`, `swk`, `user`, `mfa`); "" for none recorded.
   */
  authMethods: string;
}

export interface MfaFactorsTable {
  id: string;
  userId: string;
  type: string;
  /** AES-256-GCM ciphertext of the TOTP secret, with its key version. */
  secretEncrypted: string;
  /** Null while the enrollment awaits its first valid code. */
  confirmedAt: number | null;
  /** Highest TOTP time step accepted so far (replay protection by compare-and-set). */
  lastUsedStep: number;
  createdAt: number;
}

export interface RecoveryCodesTable {
  id: string;
  userId: string;
  codeHash: string;
  usedAt: number | null;
  createdAt: number;
}

export interface OneTimeTokensTable {
  id: string;
  /** SHA-256 (base64url) of the token sent by mail. */
  tokenHash: string;
  purpose: string;
  userId: string | null;
  email: string | null;
  /** JSON payload of the purpose (new email, account and groups of an invitation…). */
  payload: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface SecurityEventsTable {
  id: string;
  /** The person, or after deletion a pseudonymous id (`deleted:<hash>`). */
  userId: string | null;
  type: string;
  at: number;
  ip: string | null;
  userAgent: string | null;
  /** The public id of the session that acted (`sessions.id`, as in URLs), never its token or token hash. */
  sessionRef: string | null;
  accountId: string | null;
  result: string;
  details: string;
  /** The id of the request that recorded it (`X-Request-Id`), for matching with the logs. */
  requestId?: string | null;
  /** How many occurrences of the same event from the same source this row stands for. */
  occurrences?: number;
  /** Source and time slice of a folded event (unique); null for an event kept on its own. */
  aggregateKey?: string | null;
}

export interface MailOutboxTable {
  id: string;
  toAddress: string;
  subject: string;
  /** Encrypted (AES-256-GCM): bodies may hold single-use links. Cleared once sent. */
  bodyEncrypted: string | null;
  status: string;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface ThrottlesTable {
  /** e.g. `login:account:<user id>`, `login:ip:<ip>`, `totp:<user id>`. */
  key: string;
  /** Failures in the current window (drives the back-off). */
  failures: number;
  /** Consecutive failures since the last success (NIST ceiling of 100). */
  consecutiveFailures: number;
  windowStartedAt: number;
  lockedUntil: number;
  updatedAt: number;
  /** The attempt that last reserved this key (see the throttle's `reserveAttempt`). */
  lastAttempt?: string | null;
}

export interface KnownDevicesTable {
  userId: string;
  /** browser + OS, e.g. `Chrome|Windows`. */
  deviceKey: string;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface JobLocksTable {
  name: string;
  lockedUntil: number;
  owner: string;
}

/** The account a person last made active (restored at their next sign-in, where allowed). */
export interface LastActiveAccountsTable {
  userId: string;
  accountId: string;
  chosenAt: number;
}

/** One row `/readyz` writes to learn that the database takes writes (db/write-probe.ts). */
export interface WriteProbeTable {
  id: number;
  probedAt: number;
}

/** A person an operator disabled (no row: active). */
export interface DisabledUsersTable {
  userId: string;
  disabledAt: number;
}

/** A known text encrypted under one key version, proving the configured key is the one used before. */
export interface KeyChecksTable {
  version: number;
  /** AES-256-GCM ciphertext (encrypt.ts format) of a fixed text (key-check.ts). */
  value: string;
  createdAt: number;
}

/** A passkey (WebAuthn credential) of a person. */
export interface PasskeysTable {
  id: string;
  userId: string;
  /** The credential id, base64url (unique). */
  credentialId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The WebAuthn user handle (base64url), the same for all of the person's passkeys. */
  userHandle: string;
  /** The authenticator's signature counter (0 where it keeps none). */
  counter: number;
  /** JSON array of transports (`internal`, `hybrid`, `usb`…). */
  transports: string;
  /** `singleDevice` or `multiDevice` (synced). */
  deviceType: string;
  /** 1 when the credential is backed up (synced). */
  backedUp: number;
  aaguid: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A WebAuthn challenge handed out and not used yet. */
export interface WebauthnChallengesTable {
  id: string;
  /** The browser that asked: `session:<public id>` or `cookie:<sha-256 of the pre-session cookie>`. */
  binding: string;
  /** `registration`, `authentication`. */
  purpose: string;
  /** base64url, as in the options. */
  challenge: string;
  /** The person a registration challenge is for. */
  userId: string | null;
  /** The WebAuthn user handle a registration challenge offered (base64url). */
  userHandle: string | null;
  createdAt: number;
  expiresAt: number;
}

/** A person's lockdown and verification state (one row per person, made when first needed). */
export interface UserSecurityStatesTable {
  userId: string;
  /** Set by a lockdown: sign-in answers `password_reset_required` until a new password is set. */
  passwordResetRequiredAt: number | null;
  /** The address before the last confirmed email change (a lockdown may restore it within 7 days). */
  previousEmail: string | null;
  emailChangedAt: number | null;
  /** When a link mailed to the current address was last opened. */
  emailVerifiedAt: number | null;
}

/** A relying party registered by the operator (features/sso). */
export interface OidcClientsTable {
  clientId: string;
  name: string;
  /** SHA-256 (base64url) of the client secret; null for public clients. */
  secretHash: string | null;
  /** JSON arrays of exact URIs. */
  redirectUris: string;
  postLogoutRedirectUris: string;
  backchannelLogoutUri: string | null;
  isPublic: number;
  requireMfa: number;
  createdAt: number;
  updatedAt: number;
}

/** A signing key (`kind` "signing", a private JWK) or the provider's cookie keys, encrypted at rest. */
export interface OidcKeysTable {
  kid: string;
  kind: string;
  materialEncrypted: string;
  createdAt: number;
  /** When a replaced signing key stops being published (null while it signs). */
  retireAt: number | null;
}

/** One object of the OpenID provider's state, keyed by the SHA-256 of its id (tokens are never stored). */
export interface OidcStateTable {
  model: string;
  idHash: string;
  /** JSON payload, without the id itself. */
  payload: string;
  grantId: string | null;
  uid: string | null;
  accountId: string | null;
  clientId: string | null;
  /** The Profile Center session a provider Session belongs to. */
  sessionId: string | null;
  expiresAt: number | null;
  consumedAt: number | null;
}

/** A client that got a code in a Profile Center session; after the session ends, its logout queue entry. */
export interface SsoSessionClientsTable {
  sessionId: string;
  clientId: string;
  userId: string;
  sid: string;
  grantId: string;
  activeAccountId: string | null;
  createdAt: number;
  /** `live`, then `pending` once the session ended, then `sent`, `failed` or `none` (no URI). */
  state: string;
  attempts: number;
  nextAttemptAt: number | null;
  endedAt: number | null;
  deliveredAt: number | null;
  lastError: string | null;
}

/** A connected app of a person (until Disconnect). */
export interface SsoAppsTable {
  userId: string;
  clientId: string;
  /** Space-separated scopes last granted. */
  scopes: string;
  firstAuthorizedAt: number;
  lastUsedAt: number;
}

/** The whole database as Kysely sees it. */
export interface Database {
  users: UsersTable;
  accounts: AccountsTable;
  accountGroups: AccountGroupsTable;
  accountMemberships: AccountMembershipsTable;
  groupMemberships: GroupMembershipsTable;
  sessions: SessionsTable;
  mfaFactors: MfaFactorsTable;
  recoveryCodes: RecoveryCodesTable;
  oneTimeTokens: OneTimeTokensTable;
  securityEvents: SecurityEventsTable;
  mailOutbox: MailOutboxTable;
  throttles: ThrottlesTable;
  knownDevices: KnownDevicesTable;
  jobLocks: JobLocksTable;
  lastActiveAccounts: LastActiveAccountsTable;
  writeProbe: WriteProbeTable;
  disabledUsers: DisabledUsersTable;
  keyChecks: KeyChecksTable;
  passkeys: PasskeysTable;
  webauthnChallenges: WebauthnChallengesTable;
  userSecurityStates: UserSecurityStatesTable;
  oidcClients: OidcClientsTable;
  oidcKeys: OidcKeysTable;
  oidcState: OidcStateTable;
  ssoSessionClients: SsoSessionClientsTable;
  ssoApps: SsoAppsTable;
}

/** A Kysely instance or an open transaction: what every repo function takes. */
export type Executor = Kysely<Database>;

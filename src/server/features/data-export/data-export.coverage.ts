/**
 * Where each table that holds rows about a person lands in the export (a top-level section of
 * the document). The export test reads the database schema and the rows of a person who used
 * every feature, and fails for any table with a `user_id` column, a foreign key to `users`, or a
 * row naming the person's id that is neither here nor in `NOT_EXPORTED`, so a new table cannot be
 * forgotten. `mail_outbox` names the person by address rather than by id; it is covered too.
 */
export const EXPORT_SECTION_OF_TABLE = {
  users: "profile",
  user_security_states: "profile",
  disabled_users: "profile",
  account_memberships: "accounts",
  group_memberships: "accounts",
  last_active_accounts: "accounts",
  mfa_factors: "twoFactor",
  recovery_codes: "twoFactor",
  passkeys: "passkeys",
  sso_apps: "connectedApps",
  sessions: "sessions",
  sso_session_clients: "appSignIns",
  known_devices: "devices",
  security_events: "securityEvents",
  one_time_tokens: "mailedLinks",
  mail_outbox: "mail",
} as const;

/**
 * Tables that reference the person but are left out of the export on purpose, each with the
 * reason. Only single-use or short-lived machinery belongs here: nothing the person did or
 * chose is kept only in these tables.
 */
export const NOT_EXPORTED: Readonly<Record<string, string>> = {
  webauthn_challenges:
    "single-use passkey challenges, valid for 5 minutes and deleted when used; the passkeys and " +
    "sign-ins they served are in `passkeys`, `sessions` and `securityEvents`",
  throttles:
    "rate-limit counters of recent failed attempts (sign-in, password reset, codes), keyed by a " +
    "hash of the address or by id and deleted once idle; each attempt itself is in `securityEvents`",
  oidc_state:
    "the sign-in provider's own machinery (authorization codes, grants, access and refresh tokens, " +
    "interactions), keyed by hashes of secrets and dropped when they expire; what it means for the " +
    "person (each app, its scopes, first and last use, the sessions it signed in through) is in " +
    "`connectedApps` and `appSignIns`",
};

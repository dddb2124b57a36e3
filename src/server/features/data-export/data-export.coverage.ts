/**
 * Where each table that holds rows about a person lands in the export (a top-level section of
 * the document). The export test reads the database schema and fails for any table with a
 * `user_id` column or a foreign key to `users` missing here, so a new table cannot be forgotten.
 * `mail_outbox` names the person by address rather than by id; it is covered too.
 */
export const EXPORT_SECTION_OF_TABLE = {
  users: "profile",
  user_security_states: "profile",
  account_memberships: "accounts",
  group_memberships: "accounts",
  last_active_accounts: "accounts",
  mfa_factors: "twoFactor",
  recovery_codes: "twoFactor",
  sessions: "sessions",
  known_devices: "devices",
  security_events: "securityEvents",
  one_time_tokens: "mailedLinks",
  mail_outbox: "mail",
} as const;

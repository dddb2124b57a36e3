/**
 * Security event types (OWASP Logging Vocabulary names where one exists). Every feature records
 * its events with these names; the activity page filters and labels them.
 */
export const EVENT_TYPES = [
  "authn_login_success",
  "authn_login_fail",
  "authn_login_lock",
  "authn_mfa_success",
  "authn_mfa_fail",
  "authn_token_reuse",
  "authn_logout",
  "authn_reauthenticate",
  "authn_password_change",
  "authn_password_reset_request",
  "authn_password_reset_complete",
  "email_change_requested",
  "email_change_confirmed",
  "profile_updated",
  "mfa_enabled",
  "mfa_disabled",
  "mfa_recovery_code_used",
  "mfa_recovery_codes_regenerated",
  "session_revoked",
  "sessions_revoked_others",
  "account_switched",
  "account_policy_enforced",
  "membership_added",
  "membership_removed",
  "membership_groups_changed",
  "invitation_created",
  "invitation_accepted",
  "user_deleted",
  "malicious_csrf",
  "authz_fail",
  "excess_rate_limit_exceeded",
  "admin_action",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

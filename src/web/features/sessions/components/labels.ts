import type { EndReason } from "@contracts/sessions";
import type { EventType } from "@contracts/events";

/** Why a session ended, in words (History tab). */
export const END_REASON_LABELS: Record<EndReason, string> = {
  signed_out: "Signed out",
  revoked: "Revoked from another device",
  expired: "Expired",
  password_changed: "Password changed",
  account_deleted: "Account deleted",
  signed_out_elsewhere: "Signed out everywhere else",
  mfa_enabled: "Two-factor authentication turned on",
  mfa_disabled: "Two-factor authentication turned off",
  password_reset: "Password reset",
  account_disabled: "Account disabled by an administrator",
  mfa_reset: "Two-factor authentication reset by an administrator",
  revoked_by_admin: "Signed out by an administrator",
  lockdown: "Account secured (“This wasn't me”)",
};

/** A readable name for every security event type (activity log). */
export const EVENT_LABELS: Record<EventType, string> = {
  authn_login_success: "Signed in",
  authn_login_fail: "Failed sign-in",
  authn_login_lock: "Sign-in paused after failed attempts",
  authn_mfa_success: "Authentication code accepted",
  authn_mfa_fail: "Wrong authentication code",
  authn_token_reuse: "Used link or code tried again",
  authn_logout: "Signed out",
  authn_reauthenticate: "Identity confirmed",
  authn_password_change: "Password changed",
  authn_password_reset_request: "Password reset requested",
  authn_password_reset_complete: "Password reset",
  email_change_requested: "Email change requested",
  email_change_confirmed: "Email address changed",
  profile_updated: "Profile updated",
  mfa_enabled: "Two-factor authentication turned on",
  mfa_disabled: "Two-factor authentication turned off",
  mfa_recovery_code_used: "Recovery code used",
  mfa_recovery_codes_regenerated: "New recovery codes created",
  passkey_added: "Passkey added",
  passkey_renamed: "Passkey renamed",
  passkey_removed: "Passkey removed",
  session_revoked: "Session revoked",
  sessions_revoked_others: "Signed out everywhere else",
  account_switched: "Active account switched",
  account_policy_enforced: "Left an account that requires two-factor authentication",
  membership_added: "Added to an account",
  membership_removed: "Removed from an account",
  membership_groups_changed: "Account groups changed",
  invitation_created: "Invitation sent",
  invitation_accepted: "Invitation accepted",
  user_deleted: "Profile deleted",
  lockdown: "Account secured (“This wasn't me”)",
  data_exported: "Personal data downloaded",
  email_verification_requested: "Email confirmation requested",
  email_verified: "Email address confirmed",
  malicious_csrf: "Blocked a forged request",
  authz_fail: "Blocked access to something not yours",
  excess_rate_limit_exceeded: "Blocked: too many attempts",
  admin_action: "Changed by an administrator",
  app_signed_in: "Signed in to an app",
  app_disconnected: "App disconnected",
};

/** The label of an event type, or the type itself for one this page does not know yet. */
export function getEventLabel(type: string): string {
  return (EVENT_LABELS as Record<string, string>)[type] ?? type.replaceAll("_", " ");
}

/** Filters of the activity log: groups of event types people look for together. */
export const EVENT_FILTERS: ReadonlyArray<{ value: string; label: string; types: readonly EventType[] }> = [
  { value: "all", label: "All activity", types: [] },
  {
    value: "sign-ins",
    label: "Sign-ins and sign-outs",
    types: ["authn_login_success", "authn_mfa_success", "authn_logout", "authn_reauthenticate"],
  },
  {
    value: "failed",
    label: "Failed and blocked attempts",
    types: [
      "authn_login_fail",
      "authn_mfa_fail",
      "authn_login_lock",
      "excess_rate_limit_exceeded",
      "authn_token_reuse",
      "malicious_csrf",
      "authz_fail",
    ],
  },
  {
    value: "password",
    label: "Password and email",
    types: [
      "authn_password_change",
      "authn_password_reset_request",
      "authn_password_reset_complete",
      "email_change_requested",
      "email_change_confirmed",
      "email_verification_requested",
      "email_verified",
    ],
  },
  {
    value: "mfa",
    label: "Two-factor authentication and passkeys",
    types: [
      "mfa_enabled",
      "mfa_disabled",
      "mfa_recovery_code_used",
      "mfa_recovery_codes_regenerated",
      "passkey_added",
      "passkey_renamed",
      "passkey_removed",
    ],
  },
  { value: "sessions", label: "Session revocations", types: ["session_revoked", "sessions_revoked_others", "lockdown"] },
  {
    value: "accounts",
    label: "Accounts and memberships",
    types: [
      "account_switched",
      "account_policy_enforced",
      "membership_added",
      "membership_removed",
      "membership_groups_changed",
      "invitation_accepted",
    ],
  },
];

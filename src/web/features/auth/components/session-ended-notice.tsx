import { Alert } from "../../../components/ui/alert";

/** Why this device was signed out, by the `endReason` the server gave with its 401. */
const WHY: Record<string, string> = {
  revoked: "This session was signed out from another device.",
  signed_out_elsewhere: "“Sign out everywhere else” was used on another device.",
  password_changed: "Your password was changed, which signs out your other sessions.",
  password_reset: "Your password was reset with an emailed link, which signs out every session.",
  mfa_enabled: "Two-factor authentication was turned on, which signs out your other sessions.",
  mfa_disabled: "Two-factor authentication was turned off, which signs out your other sessions.",
  expired: "Your session expired.",
  signed_out: "You signed out (perhaps in another tab).",
  account_deleted: "This account was deleted.",
  account_disabled: "An administrator disabled this account.",
  mfa_reset: "An administrator reset your two-factor authentication, which signs out every session.",
  revoked_by_admin: "An administrator signed out every session of this account.",
  lockdown:
    "Your account was secured from an emailed “This wasn't me” link, which signs out every session and asks for a new password.",
};

/**
 * On the sign-in page after a session ended elsewhere: says why this device was signed out, so
 * a person who did not do it themselves can tell (and check their Sessions page once back in).
 */
export function SessionEndedNotice({ reason }: { reason: string | null }) {
  const why = reason ? WHY[reason] : undefined;
  if (!why) return null;
  return (
    <Alert tone="info" title="You were signed out">
      {why} Sign in again to continue.
    </Alert>
  );
}

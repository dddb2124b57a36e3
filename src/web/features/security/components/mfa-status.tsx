import { LIMITS } from "@contracts/limits";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { useFormatters } from "../../../lib/formatters-context";
import type { MfaStatus } from "../api/mfa";
import { MfaRequiredByAccounts } from "./mfa-required-message";

/** New codes are offered when this few are left. */
const LOW_CODES = 3;

/** What two-factor authentication is, before it is on. */
export function MfaIntro() {
  return (
    <div className="stack">
      <p>
        With two-factor authentication, signing in takes your password <strong>and</strong> a 6-digit code from an authenticator
        app on your phone. Someone who learns your password still cannot get in.
      </p>
      <p className="text-muted">
        Works with Google Authenticator, Microsoft Authenticator, and any other app for time-based codes (TOTP), such as 1Password
        or Authy. You also get {LIMITS.recoveryCodeCount} recovery codes for when your phone is not at hand.
      </p>
    </div>
  );
}

/**
 * MFA is on: since when, how many recovery codes are left, and the two actions. While an account
 * requires MFA, turning it off is not offered: the reason and the accounts are said instead, before
 * anything is typed.
 */
export function MfaOnStatus({
  status,
  onRegenerate,
  onDisable,
}: {
  status: MfaStatus;
  onRegenerate: () => void;
  onDisable: () => void;
}) {
  const formatters = useFormatters();
  const left = status.recoveryCodesLeft;
  // An account requires MFA: the app can go only while a passkey keeps the person compliant.
  const locked = status.requiredBy.length > 0 && status.passkeys === 0;
  return (
    <div className="stack">
      <dl className="mfa-facts">
        <div>
          <dt>Authenticator app</dt>
          <dd>Turned on {formatters.dateTime(status.totp.enabledAt)}</dd>
        </div>
        <div>
          <dt>Recovery codes</dt>
          <dd>
            {left} of {LIMITS.recoveryCodeCount} left
          </dd>
        </div>
      </dl>
      {left <= LOW_CODES ? (
        <Alert
          tone="warning"
          title={left === 0 ? "You have no recovery codes left" : `Only ${left} recovery code${left === 1 ? "" : "s"} left`}
          action={
            <Button size="sm" variant="primary" onClick={onRegenerate}>
              Create new recovery codes
            </Button>
          }
        >
          Create a new set so you can still get in if you lose your phone.
        </Alert>
      ) : null}
      {locked ? (
        <Alert tone="info" title="Two-factor authentication can't be turned off">
          <MfaRequiredByAccounts accounts={status.requiredBy} />
        </Alert>
      ) : null}
      <div className="row">
        <Button onClick={onRegenerate}>Create new recovery codes</Button>
        {!locked ? (
          <Button variant="danger" onClick={onDisable}>
            Turn off
          </Button>
        ) : null}
      </div>
    </div>
  );
}

import { Link } from "react-router";
import type { AccountNoticeDto } from "@contracts/accounts";
import { Alert } from "../../../components/ui/alert";
import { Button, buttonClassName } from "../../../components/ui/button";
import { signInAgain } from "../api/sign-in-again";
import { buildEnterAccountPath, buildMfaRequiredPath, buildMfaSetupPath, type SwitchOutcome } from "../hooks/use-account-switch";

/** What happened after a switch: entered (with a nudge for `suggested`), MFA needed, or an error. */
export function SwitchOutcomeAlert({ outcome, onDismiss }: { outcome: SwitchOutcome; onDismiss: () => void }) {
  switch (outcome.kind) {
    case "entered":
      return outcome.nudge ? (
        <Alert
          tone="info"
          title={`You're now working in ${outcome.name}. It recommends two-factor authentication.`}
          onDismiss={onDismiss}
          action={
            <Link className={buttonClassName({ variant: "primary", size: "sm" })} to={buildMfaSetupPath()}>
              Set up now
            </Link>
          }
        >
          Protect your sign-in with a code from an authenticator app. It takes a minute.
        </Alert>
      ) : (
        <Alert tone="success" title={`You're now working in ${outcome.name}.`} onDismiss={onDismiss} />
      );
    case "setup-required":
      return (
        <Alert
          tone="warning"
          title={`${outcome.name} requires two-factor authentication`}
          onDismiss={onDismiss}
          action={
            <Link className={buttonClassName({ variant: "primary", size: "sm" })} to={buildMfaRequiredPath(outcome.accountId)}>
              Set up two-factor authentication
            </Link>
          }
        >
          Set it up to enter this account; you'll be taken into it right after.
        </Alert>
      );
    case "reverify":
      return (
        <Alert
          tone="warning"
          title={`${outcome.name} requires two-factor authentication in this session`}
          onDismiss={onDismiss}
          action={
            <Button size="sm" variant="primary" onClick={() => void signInAgain(buildEnterAccountPath(outcome.accountId))}>
              Sign in again with your code
            </Button>
          }
        >
          Two-factor authentication is on, but this session was signed in without a code.
        </Alert>
      );
    case "welcome":
      return (
        <Alert tone="success" title={`Welcome to ${outcome.name}`} onDismiss={onDismiss}>
          Your profile is ready and you're a member of {outcome.name}. Switch to it below to start working there.
        </Alert>
      );
    case "error":
      return (
        <Alert tone="error" title="We couldn't switch the account" onDismiss={onDismiss}>
          {outcome.message}
        </Alert>
      );
  }
}

/** Why this session was moved out of an account (the policy now requires MFA, or membership ended). */
export function AccountNoticeAlert({ notice, onDismiss }: { notice: AccountNoticeDto; onDismiss: () => void }) {
  const needsMfa = notice.code === "account_policy_enforced";
  return (
    <Alert
      tone="warning"
      title={needsMfa ? `You left ${notice.accountName}` : `You are no longer in ${notice.accountName}`}
      onDismiss={onDismiss}
      action={
        needsMfa ? (
          <Link className={buttonClassName({ variant: "primary", size: "sm" })} to={buildMfaRequiredPath(notice.accountId)}>
            Set up two-factor authentication
          </Link>
        ) : undefined
      }
    >
      {notice.message}
    </Alert>
  );
}

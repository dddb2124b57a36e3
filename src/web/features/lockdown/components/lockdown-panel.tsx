import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { LoadingState } from "../../../components/ui/spinner";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import { useConfirmLockdown, useLockdownPreview } from "../api/lockdown";
import "./lockdown.css";

function InvalidLink() {
  return (
    <Alert tone="error" title="This link can't be used">
      It was already used, has expired or is incomplete. If someone else may be in your account,{" "}
      <Link to="/forgot-password">reset your password</Link> now.
    </Alert>
  );
}

/**
 * "This wasn't me": says what securing the account does, and does it on confirmation. No
 * password is asked: the person may have lost it to whoever is in their account.
 */
export function LockdownPanel({ token }: { token: string }) {
  const preview = useLockdownPreview(token);
  const confirm = useConfirmLockdown();

  if (confirm.isSuccess) {
    return (
      <Alert tone="success" title="Your account is secured">
        Every session was signed out and your password no longer works. We emailed <strong>{preview.data?.email}</strong> a link
        to choose a new password; it works for 30 minutes. If it expires, <Link to="/forgot-password">ask for a new one</Link>.
      </Alert>
    );
  }
  if (preview.isPending) return <LoadingState label="Checking the link…" />;
  if (preview.isError) {
    return isApiError(preview.error, "invalid_token") ? (
      <InvalidLink />
    ) : (
      <Alert tone="error" title="We couldn't check this link">
        {getErrorMessage(preview.error)}
      </Alert>
    );
  }
  return (
    <div className="lockdown">
      <p>
        If you didn't sign in, change your password, turn off two-step sign-in or change your email address, someone else may be
        using your account <strong>{preview.data.email}</strong>. Securing it now:
      </p>
      <ul className="lockdown__actions">
        {preview.data.actions.map((action) => (
          <li key={action.id}>{action.description}</li>
        ))}
      </ul>
      <p>You don't need your password for this. Your two-step sign-in settings stay as they are.</p>
      {confirm.isError &&
        (isApiError(confirm.error, "invalid_token") ? (
          <InvalidLink />
        ) : (
          <Alert tone="error" title="Your account was not secured">
            {getErrorMessage(confirm.error)}
          </Alert>
        ))}
      <Button variant="danger" fullWidth loading={confirm.isPending} onClick={() => confirm.mutate({ token })}>
        Secure my account
      </Button>
    </div>
  );
}

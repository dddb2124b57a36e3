import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { LoadingState } from "../../../components/ui/spinner";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import { useConfirmEmailChange } from "../api/confirm-email";

/**
 * Confirms an email change as soon as the emailed link is opened, once per token (the ref
 * guards React's development double effects: a token is single-use).
 */
export function ConfirmEmailStatus({ token }: { token: string }) {
  const confirm = useConfirmEmailChange();
  const sentFor = useRef<string | undefined>(undefined);
  const { mutate } = confirm;

  useEffect(() => {
    if (sentFor.current === token) return;
    sentFor.current = token;
    mutate(token);
  }, [token, mutate]);

  if (confirm.isSuccess) {
    return (
      <Alert tone="success" title="Your email address is confirmed">
        You now sign in with <strong>{confirm.data.email}</strong>. <Link to="/profile/general">Go to your profile</Link>
      </Alert>
    );
  }
  if (confirm.isError) {
    return isApiError(confirm.error, "invalid_token") ? (
      <Alert tone="error" title="This link can't be used">
        It is invalid, was already used, or has expired. You can ask for a new one from{" "}
        <Link to="/profile/general">your profile</Link>.
      </Alert>
    ) : (
      <Alert tone="error" title="We couldn't confirm your email address">
        {getErrorMessage(confirm.error)}
      </Alert>
    );
  }
  return <LoadingState label="Confirming your email address…" />;
}

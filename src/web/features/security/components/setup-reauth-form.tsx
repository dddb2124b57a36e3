import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { CurrentPasswordField } from "../../../components/password/current-password-field";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";

/** Asks for the password when starting setup from a sign-in that is not recent. */
export function SetupReauthForm({
  onSubmit,
  onCancel,
  pending,
  error,
}: {
  onSubmit: (password: string) => void;
  onCancel: () => void;
  pending: boolean;
  error: unknown;
}) {
  const [password, setPassword] = useState("");
  const [fieldError, setFieldError] = useState<string>();
  const ref = useRef<HTMLInputElement>(null);
  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!password) {
      setFieldError("Enter your password.");
      return ref.current?.focus();
    }
    setFieldError(undefined);
    onSubmit(password);
  }
  const serverError = isApiError(error, "invalid_password") ? getErrorMessage(error) : undefined;
  return (
    <form className="stack" noValidate onSubmit={handleSubmit}>
      <Alert tone="info" title="Confirm it's you">
        You signed in a while ago. Enter your password to set up two-factor authentication.
      </Alert>
      {error && !serverError && !isApiError(error, "reauthentication_required") ? (
        <Alert tone="error">{getErrorMessage(error)}</Alert>
      ) : null}
      <CurrentPasswordField ref={ref} autoFocus value={password} onChange={setPassword} error={fieldError ?? serverError} />
      <div className="row">
        <Button type="submit" variant="primary" loading={pending}>
          Continue
        </Button>
        <Button onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

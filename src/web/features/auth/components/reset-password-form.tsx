import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { NewPasswordField, checkNewPasswordLength } from "../../../components/password/new-password-field";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { isApiError } from "../../../lib/api-error";
import { getWeakPasswordReason } from "../../../lib/error-messages";
import { useConfirmPasswordReset } from "../api/password-reset";
import { useAuthErrorMessage } from "../hooks/use-rate-limit-message";

/** Chooses a new password from a reset link's token. */
export function ResetPasswordForm({ token }: { token: string }) {
  const confirm = useConfirmPasswordReset();
  const [password, setPassword] = useState("");
  const [fieldError, setFieldError] = useState<string>();
  const inputRef = useRef<HTMLInputElement>(null);
  const errorMessage = useAuthErrorMessage(confirm.error);
  const isBadToken = isApiError(confirm.error, "invalid_token");

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = checkNewPasswordLength(password);
    setFieldError(problem);
    if (problem) return inputRef.current?.focus();
    confirm.mutate(
      { token, newPassword: password },
      {
        onError: (error) => {
          if (isApiError(error, "weak_password")) {
            setFieldError(getWeakPasswordReason(error) ?? "Choose a stronger password.");
            inputRef.current?.focus();
          } else if (isApiError(error, "validation_failed")) {
            setFieldError(error.fieldErrors.newPassword);
          }
        },
      },
    );
  }

  if (confirm.isSuccess) {
    return (
      <Alert tone="success" title="Your password has been changed">
        You can now <Link to="/login">sign in with your new password</Link>.
      </Alert>
    );
  }

  return (
    <form className="stack" noValidate onSubmit={handleSubmit}>
      {isBadToken ? (
        <Alert tone="error" title="This link can't be used">
          It is invalid, was already used, or has expired. <Link to="/forgot-password">Ask for a new link</Link>.
        </Alert>
      ) : errorMessage && !isApiError(confirm.error, "weak_password", "validation_failed") ? (
        <Alert tone="error">{errorMessage}</Alert>
      ) : null}
      <NewPasswordField ref={inputRef} value={password} onChange={setPassword} error={fieldError} />
      <Button type="submit" variant="primary" fullWidth loading={confirm.isPending}>
        Set new password
      </Button>
    </form>
  );
}

import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { NewPasswordField, checkNewPassword } from "../../../components/password/new-password-field";
import { LoadingState } from "../../../components/ui/spinner";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { isApiError } from "../../../lib/api-error";
import { getWeakPasswordReason } from "../../../lib/error-messages";
import { useConfirmPasswordReset, useResetLinkCheck } from "../api/password-reset";
import { useAuthErrorMessage } from "../hooks/use-rate-limit-message";

/** A reset link that is used, expired or unknown. */
function ResetLinkUnusable() {
  return (
    <Alert tone="error" title="This link can't be used">
      It is invalid, was already used, or has expired. <Link to="/forgot-password">Ask for a new link</Link>.
    </Alert>
  );
}

/**
 * Chooses a new password from a reset link's token. The link is checked on opening: a used or
 * expired one says so at once instead of after the new password was typed.
 */
export function ResetPasswordForm({ token }: { token: string }) {
  const check = useResetLinkCheck(token);
  if (check.isPending) return <LoadingState label="Checking your link…" />;
  if (isApiError(check.error, "invalid_token")) return <ResetLinkUnusable />;
  // Any other failure (the server is busy): the form still works, the server checks on submit.
  const person = check.data;
  return <NewPasswordForm token={token} userInputs={person ? [person.email, person.firstName, person.lastName] : []} />;
}

function NewPasswordForm({ token, userInputs }: { token: string; userInputs: string[] }) {
  const confirm = useConfirmPasswordReset();
  const [password, setPassword] = useState("");
  const [fieldError, setFieldError] = useState<string>();
  const inputRef = useRef<HTMLInputElement>(null);
  const errorMessage = useAuthErrorMessage(confirm.error);
  const isBadToken = isApiError(confirm.error, "invalid_token");

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = checkNewPassword(password, { userInputs });
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
        <ResetLinkUnusable />
      ) : errorMessage && !isApiError(confirm.error, "weak_password", "validation_failed") ? (
        <Alert tone="error">{errorMessage}</Alert>
      ) : null}
      <NewPasswordField
        ref={inputRef}
        value={password}
        onChange={(value) => {
          // A refusal was about the old text: it goes as soon as the person changes it.
          setFieldError(undefined);
          setPassword(value);
        }}
        userInputs={userInputs}
        error={fieldError}
      />
      <Button type="submit" variant="primary" fullWidth loading={confirm.isPending}>
        Set new password
      </Button>
    </form>
  );
}

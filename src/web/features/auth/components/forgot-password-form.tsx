import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { SignInEmailField } from "./sign-in-email-field";
import { useRequestPasswordReset } from "../api/password-reset";
import { useAuthErrorMessage } from "../hooks/use-rate-limit-message";

/**
 * Asks for a reset link. The answer is the same whether or not the address has an account
 * (no enumeration, checklist A12), so the confirmation says "if".
 */
export function ForgotPasswordForm() {
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState("");
  const [fieldError, setFieldError] = useState<string>();
  const emailRef = useRef<HTMLInputElement>(null);
  const errorMessage = useAuthErrorMessage(request.error);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = email.trim();
    const problem = /^[^\s@]+@[^\s@]+$/.test(value) ? undefined : "Enter the email address you sign in with.";
    setFieldError(problem);
    if (problem) return emailRef.current?.focus();
    request.mutate(value);
  }

  if (request.isSuccess) {
    return (
      <Alert tone="success" title="Check your inbox">
        If an account exists for <strong>{email.trim()}</strong>, we sent it a link to choose a new password. The link works once
        and expires soon. Nothing arrived? Check your spam folder, or try again in a few minutes.
      </Alert>
    );
  }

  return (
    <form className="stack" noValidate onSubmit={handleSubmit}>
      {errorMessage ? <Alert tone="error">{errorMessage}</Alert> : null}
      <SignInEmailField ref={emailRef} value={email} onChange={setEmail} error={fieldError} />
      <Button type="submit" variant="primary" fullWidth loading={request.isPending}>
        Send reset link
      </Button>
    </form>
  );
}

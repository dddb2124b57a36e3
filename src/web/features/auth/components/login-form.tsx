import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { CurrentPasswordField } from "../../../components/password/current-password-field";
import { SignInEmailField } from "./sign-in-email-field";
import { isApiError } from "../../../lib/api-error";
import { useLogin } from "../api/login";
import { useAuthErrorMessage, useRetryCountdown } from "../hooks/use-rate-limit-message";
import { PasskeySignInButton } from "./passkey-sign-in-button";
import type { SecondStepMethod } from "@contracts/auth";
import "./auth-forms.css";

/** Props of {@link LoginForm}. */
export interface LoginFormProps {
  /** Called after the password step fully signs the person in. */
  onAuthenticated: () => void;
  /** Called when the account needs a second step next, with the ways it can be taken. */
  onMfaRequired: (methods: SecondStepMethod[]) => void;
}

/**
 * Email and password step of sign-in (autocomplete `username webauthn` / `current-password`),
 * or a passkey instead: from the email field's suggestions or the "Sign in with a passkey" button.
 */
export function LoginForm({ onAuthenticated, onMfaRequired }: LoginFormProps) {
  const login = useLogin();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const errorMessage = useAuthErrorMessage(login.error);
  // While the server makes sign-in wait, the button waits too (it counts down above it).
  const secondsLeft = useRetryCountdown(login.error);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (secondsLeft > 0) return;
    const errors = {
      email: email.trim() ? undefined : "Enter your email address.",
      password: password ? undefined : "Enter your password.",
    };
    setFieldErrors(errors);
    if (errors.email) return emailRef.current?.focus();
    if (errors.password) return passwordRef.current?.focus();
    login.mutate(
      { email: email.trim(), password },
      {
        onSuccess: (response) => (response.status === "mfa_required" ? onMfaRequired(response.methods) : onAuthenticated()),
        onError: (error) => {
          if (isApiError(error, "validation_failed")) setFieldErrors(error.fieldErrors);
          if (isApiError(error, "invalid_credentials")) passwordRef.current?.select();
        },
      },
    );
  }

  return (
    <form className="stack" noValidate onSubmit={handleSubmit}>
      {errorMessage ? <Alert tone="error">{errorMessage}</Alert> : null}
      <SignInEmailField ref={emailRef} passkeyAutofill value={email} onChange={setEmail} error={fieldErrors.email} />
      <CurrentPasswordField ref={passwordRef} required value={password} onChange={setPassword} error={fieldErrors.password} />
      <div className="auth-form__links">
        <Link to="/forgot-password">Forgot password?</Link>
      </div>
      <Button type="submit" variant="primary" fullWidth loading={login.isPending} disabled={secondsLeft > 0}>
        Sign in
      </Button>
      <PasskeySignInButton autofill onAuthenticated={() => onAuthenticated()} />
    </form>
  );
}

import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { PasswordField } from "../../../components/ui/password-field";
import { TextField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-error";
import { useLogin } from "../api/login";
import { useAuthErrorMessage } from "../hooks/use-rate-limit-message";
import "./auth-forms.css";

/** Props of {@link LoginForm}. */
export interface LoginFormProps {
  /** Called after the password step fully signs the person in. */
  onAuthenticated: () => void;
  /** Called when the account needs the authenticator code next. */
  onMfaRequired: () => void;
}

/** Email and password step of sign-in (autocomplete `username` / `current-password`). */
export function LoginForm({ onAuthenticated, onMfaRequired }: LoginFormProps) {
  const login = useLogin();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const errorMessage = useAuthErrorMessage(login.error);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
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
        onSuccess: (response) => (response.status === "mfa_required" ? onMfaRequired() : onAuthenticated()),
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
      <TextField
        ref={emailRef}
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        inputMode="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={fieldErrors.email}
      />
      <PasswordField
        ref={passwordRef}
        label="Password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={fieldErrors.password}
      />
      <div className="auth-form__links">
        <Link to="/forgot-password">Forgot password?</Link>
      </div>
      <Button type="submit" variant="primary" fullWidth loading={login.isPending}>
        Sign in
      </Button>
    </form>
  );
}

import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { TextField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-error";
import { useLoginWithCode } from "../api/login-mfa";
import type { AuthenticatedResponse } from "../api/login-mfa";
import { useAuthErrorMessage, useRetryCountdown } from "../hooks/use-rate-limit-message";
import "./auth-forms.css";

/** Props of {@link MfaCodeForm}. */
export interface MfaCodeFormProps {
  onAuthenticated: (response: AuthenticatedResponse) => void;
  /** Where "start again" leads (the login page with the same `next`). */
  loginPath: string;
}

/**
 * The code step of sign-in: one 6-digit field (`inputmode=numeric`,
 * `autocomplete=one-time-code`), or a recovery code instead.
 */
export function MfaCodeForm({ onAuthenticated, loginPath }: MfaCodeFormProps) {
  const loginWithCode = useLoginWithCode();
  const [mode, setMode] = useState<"totp" | "recovery">("totp");
  const [code, setCode] = useState("");
  const [fieldError, setFieldError] = useState<string>();
  const inputRef = useRef<HTMLInputElement>(null);
  const errorMessage = useAuthErrorMessage(loginWithCode.error);
  // While the server makes sign-in wait, the button waits too (it counts down above it).
  const secondsLeft = useRetryCountdown(loginWithCode.error);
  const isExpired = isApiError(loginWithCode.error, "unauthenticated");

  function switchMode() {
    setMode((current) => (current === "totp" ? "recovery" : "totp"));
    setCode("");
    setFieldError(undefined);
    loginWithCode.reset();
    window.setTimeout(() => inputRef.current?.focus(), 0);
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (secondsLeft > 0) return;
    const value = mode === "totp" ? code.replace(/\s/g, "") : code.trim();
    const problem =
      mode === "totp"
        ? /^\d{6}$/.test(value)
          ? undefined
          : "Enter the 6 digits shown in your authenticator app."
        : value
          ? undefined
          : "Enter one of your recovery codes.";
    setFieldError(problem);
    if (problem) return inputRef.current?.focus();
    loginWithCode.mutate(value, {
      onSuccess: onAuthenticated,
      onError: () => {
        setCode("");
        inputRef.current?.focus();
      },
    });
  }

  return (
    <form className="stack" noValidate onSubmit={handleSubmit}>
      {errorMessage && !isExpired ? <Alert tone="error">{errorMessage}</Alert> : null}
      {isExpired ? (
        <Alert tone="error" title="This sign-in has expired">
          Please <Link to={loginPath}>start again with your email and password</Link>.
        </Alert>
      ) : null}
      {mode === "totp" ? (
        <TextField
          key="totp"
          ref={inputRef}
          label="6-digit code"
          hint="Open your authenticator app and enter the 6-digit code it shows now for your email address."
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={7}
          autoFocus
          required
          className="code-input"
          value={code}
          onChange={(event) => setCode(event.target.value.replace(/[^\d\s]/g, ""))}
          error={fieldError}
        />
      ) : (
        <TextField
          key="recovery"
          ref={inputRef}
          label="Recovery code"
          hint="Each recovery code works once. You saved them when you turned on two-factor authentication."
          name="code"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          className="code-input"
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={fieldError}
        />
      )}
      <Button type="submit" variant="primary" fullWidth loading={loginWithCode.isPending} disabled={secondsLeft > 0}>
        Verify
      </Button>
      <div className="auth-form__links">
        <button type="button" className="link-button" onClick={switchMode}>
          {mode === "totp" ? "Use a recovery code instead" : "Use the code from my authenticator app"}
        </button>
      </div>
    </form>
  );
}

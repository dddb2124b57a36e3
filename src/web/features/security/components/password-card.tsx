import { useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import type { UserDto } from "@contracts/me";
import { CurrentPasswordField } from "../../../components/password/current-password-field";
import { NewPasswordField, checkNewPassword } from "../../../components/password/new-password-field";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { Switch } from "../../../components/ui/switch";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage, getWeakPasswordReason } from "../../../lib/error-messages";
import { useChangePassword } from "../api/change-password";
import { CodeField } from "../../../components/ui/code-field";
import { isPasskeyConfirmationRequired, PasskeyConfirmPrompt } from "../../../components/reauth/passkey-confirm-prompt";

/** Props of {@link PasswordCard}. */
export interface PasswordCardProps {
  user: UserDto;
  /** PASSWORD_MIN_LENGTH as the policy hint states it. */
  minLength: number;
}

type Errors = { currentPassword?: string; newPassword?: string; code?: string; general?: string };

/**
 * Change the password: the current one, the new one (policy stated before typing, a strength
 * meter), and "sign out my other sessions", on by default. When MFA is on and the sign-in is not
 * recent, the server asks for a code as well: the field appears in place.
 */
export function PasswordCard({ user, minLength }: PasswordCardProps) {
  const change = useChangePassword();
  const formId = useId();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [signOutOthers, setSignOutOthers] = useState(true);
  const [code, setCode] = useState("");
  const [codeRequired, setCodeRequired] = useState(false);
  // The person's only second factor is a passkey and the sign-in is not recent: it confirms first.
  const [passkeyNeeded, setPasskeyNeeded] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState<{ signedOutOthers: boolean }>();
  const currentRef = useRef<HTMLInputElement>(null);
  const newRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  const userInputs = [user.email, user.firstName, user.lastName];

  function validate(): Errors {
    const found: Errors = {};
    if (!currentPassword) found.currentPassword = "Enter your current password.";
    found.newPassword = newPassword ? checkNewPassword(newPassword, { minLength, userInputs }) : "Enter a new password.";
    if (!found.newPassword && newPassword === currentPassword)
      found.newPassword = "Choose a password different from your current one.";
    if (codeRequired && !code.trim()) found.code = "Enter the code from your authenticator app.";
    return found;
  }

  function handleError(error: unknown) {
    if (isPasskeyConfirmationRequired(error)) {
      setErrors({});
      setPasskeyNeeded(true);
    } else if (isApiError(error, "reauthentication_required")) {
      setCodeRequired(true);
      setErrors({ code: "Your sign-in is not recent: enter a code from your authenticator app too." });
      window.setTimeout(() => codeRef.current?.focus(), 0);
    } else if (isApiError(error, "invalid_password")) {
      setErrors({ currentPassword: getErrorMessage(error) });
      currentRef.current?.focus();
    } else if (isApiError(error, "weak_password")) {
      setErrors({ newPassword: getWeakPasswordReason(error) ?? getErrorMessage(error) });
      newRef.current?.focus();
    } else if (isApiError(error, "invalid_code")) {
      setErrors({ code: getErrorMessage(error) });
      codeRef.current?.focus();
    } else setErrors({ general: getErrorMessage(error) });
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(undefined);
    const found = validate();
    setErrors(found);
    if (found.currentPassword) return currentRef.current?.focus();
    if (found.newPassword) return newRef.current?.focus();
    if (found.code) return codeRef.current?.focus();
    send();
  }

  function send() {
    setPasskeyNeeded(false);
    const input = {
      currentPassword,
      newPassword,
      signOutOtherSessions: signOutOthers,
      ...(codeRequired ? { code: code.trim() } : {}),
    };
    change.mutate(input, {
      onSuccess: () => {
        setDone({ signedOutOthers: signOutOthers });
        setCurrentPassword("");
        setNewPassword("");
        setCode("");
        setCodeRequired(false);
      },
      onError: handleError,
    });
  }

  return (
    <Card
      title="Password"
      description="Change the password you sign in with. You need your current password."
      footer={
        <Button type="submit" form={formId} variant="primary" loading={change.isPending}>
          Change password
        </Button>
      }
    >
      <form id={formId} className="stack" noValidate onSubmit={handleSubmit}>
        {done ? (
          <Alert tone="success" title="Your password was changed" onDismiss={() => setDone(undefined)}>
            {done.signedOutOthers
              ? "You stay signed in here; your other sessions were signed out."
              : "You stay signed in here and on your other devices."}
          </Alert>
        ) : null}
        {errors.general ? <Alert tone="error">{errors.general}</Alert> : null}
        {passkeyNeeded ? <PasskeyConfirmPrompt onConfirmed={send} /> : null}
        <CurrentPasswordField
          ref={currentRef}
          label="Current password"
          name="currentPassword"
          value={currentPassword}
          onChange={setCurrentPassword}
          error={errors.currentPassword}
        />
        <NewPasswordField
          ref={newRef}
          value={newPassword}
          onChange={(value) => {
            // A refusal was about the old text: it goes as soon as the person changes it.
            setErrors((current) => ({ ...current, newPassword: undefined }));
            setNewPassword(value);
          }}
          minLength={minLength}
          userInputs={userInputs}
          error={errors.newPassword}
        />
        {codeRequired ? <CodeField ref={codeRef} allowRecovery value={code} onChange={setCode} error={errors.code} /> : null}
        <Switch
          checked={signOutOthers}
          onCheckedChange={setSignOutOthers}
          label="Sign out my other sessions"
          description="Recommended: anyone signed in with the old password on another device is signed out."
        />
      </form>
    </Card>
  );
}

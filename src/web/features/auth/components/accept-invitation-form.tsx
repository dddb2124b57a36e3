import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { LIMITS } from "@contracts/limits";
import { isKnownTimeZone } from "@contracts/timezones";
import { NewPasswordField, checkNewPassword } from "../../../components/password/new-password-field";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { TextField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-error";
import { getWeakPasswordReason } from "../../../lib/error-messages";
import { getBrowserTimeZone } from "../../../lib/format-date";
import { useAcceptInvitation } from "../api/accept-invitation";
import { useAuthErrorMessage } from "../hooks/use-rate-limit-message";

type Fields = "firstName" | "lastName" | "password";

function validate(values: Record<Fields, string>, email: string | undefined): Partial<Record<Fields, string>> {
  return {
    firstName: values.firstName.trim() ? undefined : "Enter your first name.",
    lastName: values.lastName.trim() ? undefined : "Enter your last name.",
    password: checkNewPassword(values.password, { userInputs: personalWords(values, email) }),
  };
}

/** What the new password must not contain: the names typed and the invited address. */
function personalWords(values: Record<Fields, string>, email: string | undefined): string[] {
  return [values.firstName, values.lastName, email ?? ""].filter(Boolean);
}

/** An invitation link that is used, expired or forged: said before anything is typed. */
export function InvitationUnusable() {
  return (
    <Alert tone="error" title="This invitation can't be used">
      It is invalid, was already accepted, or has expired. Ask the person who invited you to send a new one, or{" "}
      <Link to="/login">sign in</Link> if you already have an account.
    </Alert>
  );
}

/** The browser's zone, for the new profile to start in (left out when the server would not know it). */
function startingTimeZone(): { timezone?: string } {
  const zone = getBrowserTimeZone();
  return isKnownTimeZone(zone) ? { timezone: zone } : {};
}

/** Accepts an invitation: name and password, then the person is signed in, in the browser's time zone. */
export function AcceptInvitationForm({ token, email, onAccepted }: { token: string; email?: string; onAccepted: () => void }) {
  const accept = useAcceptInvitation();
  const [values, setValues] = useState<Record<Fields, string>>({ firstName: "", lastName: "", password: "" });
  const [errors, setErrors] = useState<Partial<Record<Fields, string>>>({});
  const firstNameRef = useRef<HTMLInputElement>(null);
  const lastNameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const errorMessage = useAuthErrorMessage(accept.error);
  const isBadToken = isApiError(accept.error, "invalid_token");

  function focusFirstError(found: Partial<Record<Fields, string>>) {
    const first = (["firstName", "lastName", "password"] as const).find((name) => found[name]);
    const refs = { firstName: firstNameRef, lastName: lastNameRef, password: passwordRef };
    if (first) refs[first].current?.focus();
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validate(values, email);
    setErrors(found);
    if (Object.values(found).some(Boolean)) return focusFirstError(found);
    accept.mutate(
      {
        token,
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        password: values.password,
        ...startingTimeZone(),
      },
      {
        onSuccess: (response) => {
          if (response.status === "authenticated") onAccepted();
        },
        onError: (error) => {
          const server: Partial<Record<Fields, string>> = isApiError(error, "validation_failed") ? error.fieldErrors : {};
          if (isApiError(error, "weak_password")) server.password = getWeakPasswordReason(error);
          setErrors(server);
          focusFirstError(server);
        },
      },
    );
  }

  const set = (name: Fields) => (value: string) => {
    // A refusal was about the old text: it goes as soon as the person changes the field.
    setErrors((current) => ({ ...current, [name]: undefined }));
    setValues((current) => ({ ...current, [name]: value }));
  };
  if (accept.data?.status === "sign_in_required") {
    // The address already had a profile: the membership is added, and its own password signs in.
    return (
      <Alert tone="success" title="You joined the account">
        <strong>{accept.data.email}</strong> already has a profile, so we added the account to it.{" "}
        <Link to="/login?next=%2Fprofile%2Faccounts">Sign in with your existing password</Link> to see it.
      </Alert>
    );
  }
  return (
    <form className="stack" noValidate onSubmit={handleSubmit}>
      {isBadToken ? (
        <InvitationUnusable />
      ) : errorMessage && !isApiError(accept.error, "weak_password", "validation_failed") ? (
        <Alert tone="error">{errorMessage}</Alert>
      ) : null}
      <div className="form-row">
        <TextField
          ref={firstNameRef}
          label="First name"
          name="firstName"
          autoComplete="given-name"
          required
          maxLength={LIMITS.nameMaxLength}
          value={values.firstName}
          onChange={(event) => set("firstName")(event.target.value)}
          error={errors.firstName}
        />
        <TextField
          ref={lastNameRef}
          label="Last name"
          name="lastName"
          autoComplete="family-name"
          required
          maxLength={LIMITS.nameMaxLength}
          value={values.lastName}
          onChange={(event) => set("lastName")(event.target.value)}
          error={errors.lastName}
        />
      </div>
      <NewPasswordField
        ref={passwordRef}
        label="Choose a password"
        name="password"
        value={values.password}
        onChange={set("password")}
        userInputs={personalWords(values, email)}
        error={errors.password}
      />
      <Button type="submit" variant="primary" fullWidth loading={accept.isPending}>
        Accept invitation
      </Button>
    </form>
  );
}

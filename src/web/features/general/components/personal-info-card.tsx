import { useEffect, useId, useState } from "react";
import type { FormEvent } from "react";
import { updateMeSchema, type UserDto } from "@contracts/me";
import { LIMITS } from "@contracts/limits";
import { Alert } from "../../../components/ui/alert";
import { Card } from "../../../components/ui/card";
import { TextField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import { serverFieldErrors, validateWith } from "../api/field-errors";
import { useUpdateMe } from "../api/update-me";
import { PHONE_HINT_MESSAGE, formatPhoneForDisplay, toStoredPhone } from "../api/phone";
import { CardSaveButton } from "./card-save-button";
import { EmailRow } from "./email-row";

type Fields = "firstName" | "lastName" | "phone" | "jobTitle";

/** The form's text as the PATCH body: blank optional fields clear them; the phone in its stored form. */
function toInput(values: Record<Fields, string>, locale: string) {
  return {
    firstName: values.firstName,
    lastName: values.lastName,
    phone: values.phone.trim() ? (toStoredPhone(values.phone, locale) ?? values.phone.trim()) : null,
    jobTitle: values.jobTitle.trim() ? values.jobTitle : null,
  };
}

/** The saved person as the form shows it (the phone written as people write it). */
function toValues(user: UserDto): Record<Fields, string> {
  return {
    firstName: user.firstName,
    lastName: user.lastName,
    phone: formatPhoneForDisplay(user.phone),
    jobTitle: user.jobTitle ?? "",
  };
}

/** Personal information: names, phone, job title (PATCH /api/v1/me) and the email row. */
export function PersonalInfoCard({ user, onDirtyChange }: { user: UserDto; onDirtyChange?: (isDirty: boolean) => void }) {
  const updateMe = useUpdateMe();
  const formId = useId();
  const initial = toValues(user);
  const [values, setValues] = useState<Record<Fields, string>>(initial);
  const [errors, setErrors] = useState<Partial<Record<Fields, string>>>({});
  const isDirty = (Object.keys(initial) as Fields[]).some((key) => initial[key] !== values[key]);
  useEffect(() => onDirtyChange?.(isDirty), [isDirty, onDirtyChange]);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The shared contract schema: the same rules (and messages) the server applies.
    const checked = validateWith(updateMeSchema, toInput(values, user.locale));
    const found: Partial<Record<Fields, string>> = checked.errors ?? {};
    if (found.phone) found.phone = PHONE_HINT_MESSAGE;
    setErrors(found);
    if (!checked.data) return;
    updateMe.mutate(checked.data, {
      onSuccess: (saved) => setValues(toValues(saved)),
      onError: (error) => setErrors(serverFieldErrors(error)),
    });
  }

  const field = (name: Fields) => ({
    name,
    value: values[name],
    error: errors[name],
    maxLength: LIMITS.nameMaxLength,
    onChange: (event: { target: { value: string } }) => {
      updateMe.reset();
      setValues((current) => ({ ...current, [name]: event.target.value }));
    },
  });

  return (
    <Card
      title="Personal information"
      description="Your name as colleagues see it across every account."
      footer={
        <CardSaveButton formId={formId} isDirty={isDirty} isSaving={updateMe.isPending}>
          Save changes
        </CardSaveButton>
      }
    >
      <div className="stack">
        {updateMe.isSuccess ? <Alert tone="success">Your personal information was saved.</Alert> : null}
        {updateMe.isError && !isApiError(updateMe.error, "validation_failed") ? (
          <Alert tone="error">{getErrorMessage(updateMe.error)}</Alert>
        ) : null}
        <form id={formId} className="stack" noValidate onSubmit={handleSubmit}>
          <div className="form-row">
            <TextField label="First name" autoComplete="given-name" required {...field("firstName")} />
            <TextField label="Last name" autoComplete="family-name" required {...field("lastName")} />
          </div>
          <div className="form-row">
            <TextField
              label="Phone"
              type="tel"
              autoComplete="tel"
              optional
              hint="With its country code, e.g. +49 30 123456."
              {...field("phone")}
              maxLength={32}
            />
            <TextField
              label="Job title"
              autoComplete="organization-title"
              optional
              hint="As colleagues see it, e.g. Sales manager."
              {...field("jobTitle")}
            />
          </div>
        </form>
        {/* Outside the form: the change-email dialog has a form of its own. */}
        <EmailRow user={user} />
      </div>
    </Card>
  );
}

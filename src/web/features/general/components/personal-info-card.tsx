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
import { CardSaveButton } from "./card-save-button";
import { EmailRow } from "./email-row";

type Fields = "firstName" | "lastName" | "phone" | "jobTitle";

/** The form's text as the PATCH body: blank optional fields clear them; phone spacing is dropped. */
function toInput(values: Record<Fields, string>) {
  return {
    firstName: values.firstName,
    lastName: values.lastName,
    phone: values.phone.trim() ? values.phone.replace(/[\s()-]/g, "") : null,
    jobTitle: values.jobTitle.trim() ? values.jobTitle : null,
  };
}

/** Personal information: names, phone, job title (PATCH /api/v1/me) and the email row. */
export function PersonalInfoCard({ user, onDirtyChange }: { user: UserDto; onDirtyChange?: (isDirty: boolean) => void }) {
  const updateMe = useUpdateMe();
  const formId = useId();
  const initial = { firstName: user.firstName, lastName: user.lastName, phone: user.phone ?? "", jobTitle: user.jobTitle ?? "" };
  const [values, setValues] = useState<Record<Fields, string>>(initial);
  const [errors, setErrors] = useState<Partial<Record<Fields, string>>>({});
  const isDirty = (Object.keys(initial) as Fields[]).some((key) => initial[key] !== values[key]);
  useEffect(() => onDirtyChange?.(isDirty), [isDirty, onDirtyChange]);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The shared contract schema: the same rules (and messages) the server applies.
    const checked = validateWith(updateMeSchema, toInput(values));
    setErrors(checked.errors ?? {});
    if (!checked.data) return;
    updateMe.mutate(checked.data, {
      onSuccess: (saved) =>
        setValues({
          firstName: saved.firstName,
          lastName: saved.lastName,
          phone: saved.phone ?? "",
          jobTitle: saved.jobTitle ?? "",
        }),
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
              hint="International format, e.g. +49 30 123456."
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

import { useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { emailChangeSchema } from "@contracts/me";
import { CurrentPasswordField } from "../../../components/password/current-password-field";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { TextField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import { serverFieldErrors, validateWith } from "../api/field-errors";
import { useRequestEmailChange } from "../api/request-email-change";

/** Props of {@link ChangeEmailDialog}. */
export interface ChangeEmailDialogProps {
  open: boolean;
  currentEmail: string;
  onClose: () => void;
}

/** Asks for the new address and the current password; the change waits for the emailed link. */
export function ChangeEmailDialog({ open, currentEmail, onClose }: ChangeEmailDialogProps) {
  const request = useRequestEmailChange();
  const formId = useId();
  const emailRef = useRef<HTMLInputElement>(null);
  const [newEmail, setNewEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<{ newEmail?: string; password?: string }>({});

  function handleClose() {
    request.reset();
    setNewEmail("");
    setPassword("");
    setErrors({});
    onClose();
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The shared contract schema first (same rules as the server), then the "same address" check.
    const checked = validateWith(emailChangeSchema, { newEmail, password });
    const found = checked.errors ?? {};
    if (!password) found.password = "Enter your current password.";
    if (checked.data && checked.data.newEmail === currentEmail.toLowerCase())
      found.newEmail = "This is already your email address.";
    setErrors(found);
    if (!checked.data || Object.keys(found).length > 0) return;
    request.mutate(checked.data, {
      onError: (error) => {
        if (isApiError(error, "invalid_password")) setErrors({ password: getErrorMessage(error) });
        else if (isApiError(error, "email_taken")) setErrors({ newEmail: getErrorMessage(error) });
        else setErrors(serverFieldErrors(error));
      },
    });
  }

  const isDone = request.isSuccess;
  const showAlert = request.isError && !isApiError(request.error, "invalid_password", "email_taken", "validation_failed");
  return (
    <Dialog
      open={open}
      onClose={handleClose}
      title="Change your email address"
      description={isDone ? undefined : "We'll send a confirmation link to the new address. Your email changes once you open it."}
      initialFocusRef={emailRef}
      footer={
        isDone ? (
          <Button variant="primary" onClick={handleClose}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={handleClose}>Cancel</Button>
            <Button type="submit" form={formId} variant="primary" loading={request.isPending}>
              Send confirmation link
            </Button>
          </>
        )
      }
    >
      {isDone ? (
        <Alert tone="success" title="Check your new inbox">
          We sent a confirmation link to <strong>{request.data?.pendingEmail ?? newEmail.trim()}</strong>. It works for 24 hours.
          Until you open it, you keep signing in with {currentEmail}.
        </Alert>
      ) : (
        <form id={formId} className="stack" noValidate onSubmit={handleSubmit}>
          {showAlert ? <Alert tone="error">{getErrorMessage(request.error)}</Alert> : null}
          <TextField
            ref={emailRef}
            label="New email address"
            type="email"
            autoComplete="email"
            value={newEmail}
            onChange={(event) => setNewEmail(event.target.value)}
            error={errors.newEmail}
          />
          <CurrentPasswordField label="Current password" value={password} onChange={setPassword} error={errors.password} />
        </form>
      )}
    </Dialog>
  );
}

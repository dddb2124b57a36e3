import { useEffect, useId, useRef, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { PasswordField } from "../../../components/ui/password-field";
import { TextField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import type { ReauthInput } from "../api/sessions";

/** Props of {@link ConfirmWithReauthDialog}. */
export interface ConfirmWithReauthDialogProps {
  open: boolean;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onClose: () => void;
  /** Does the change; called again with the password (and code) when the server asks for them. */
  run: (credentials?: ReauthInput) => Promise<unknown>;
  /** Called after `run` succeeded. */
  onDone: () => void;
}

interface ReauthState {
  codeRequired: boolean;
}

/**
 * Confirms a revocation. Ending sessions needs a recent sign-in (ASVS 7.5.2): when the server
 * answers `reauthentication_required`, the same dialog asks for the password (and a code from
 * the authenticator app when MFA is on) and tries again, without losing the person's place.
 */
export function ConfirmWithReauthDialog({
  open,
  title,
  description,
  confirmLabel,
  onClose,
  run,
  onDone,
}: ConfirmWithReauthDialogProps) {
  const formId = useId();
  const [reauth, setReauth] = useState<ReauthState | null>(null);
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<{ password?: string; code?: string; general?: string }>({});
  const [pending, setPending] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  // The form changed under the person's eyes: put them where they need to type.
  useEffect(() => {
    if (reauth) passwordRef.current?.focus();
  }, [reauth]);

  function handleClose() {
    setReauth(null);
    setPassword("");
    setCode("");
    setErrors({});
    onClose();
  }

  function handleError(error: unknown) {
    if (isApiError(error, "reauthentication_required")) {
      setReauth({ codeRequired: error.details.codeRequired === true });
    } else if (isApiError(error, "invalid_password")) setErrors({ password: getErrorMessage(error) });
    else if (isApiError(error, "invalid_code")) setErrors({ code: getErrorMessage(error) });
    else setErrors({ general: getErrorMessage(error) });
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (reauth && !password) return setErrors({ password: "Enter your password." });
    if (reauth?.codeRequired && !code.trim()) return setErrors({ code: "Enter the code from your authenticator app." });
    setPending(true);
    setErrors({});
    try {
      await run(reauth ? { password, ...(reauth.codeRequired ? { code: code.trim() } : {}) } : undefined);
      handleClose();
      onDone();
    } catch (error) {
      handleError(error);
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog
      open={open}
      onClose={handleClose}
      title={reauth ? "Confirm it's you" : title}
      description={reauth ? "For your security, enter your password before ending sessions." : description}
      size="sm"
      footer={
        <>
          <Button onClick={handleClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="danger" loading={pending}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <form id={formId} className="stack" noValidate onSubmit={handleSubmit}>
        {errors.general ? <Alert tone="error">{errors.general}</Alert> : null}
        {reauth ? (
          <>
            <PasswordField
              ref={passwordRef}
              label="Password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              error={errors.password}
            />
            {reauth.codeRequired ? (
              <TextField
                label="Authentication code"
                hint="The 6-digit code from your authenticator app, or a recovery code."
                autoComplete="one-time-code"
                inputMode="numeric"
                value={code}
                onChange={(event) => setCode(event.target.value)}
                error={errors.code}
              />
            ) : null}
          </>
        ) : null}
      </form>
    </Dialog>
  );
}

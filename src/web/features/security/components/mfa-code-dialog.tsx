import { useEffect, useId, useRef, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { PasswordField } from "../../../components/ui/password-field";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import type { CodeWithReauth } from "../api/mfa";
import { CodeField } from "./code-field";

/** Props of {@link MfaCodeDialog}. */
export interface MfaCodeDialogProps {
  open: boolean;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onClose: () => void;
  /** Does the change with the code (and the password once the server asked for it). */
  run: (input: CodeWithReauth) => Promise<unknown>;
  onDone: () => void;
}

type Errors = { code?: string; password?: string; general?: ReactNode };

/** Names the accounts of a 409 `mfa_required_by_account`. */
function requiredByAccountMessage(error: unknown): ReactNode {
  const accounts =
    isApiError(error) && Array.isArray(error.details.accounts) ? (error.details.accounts as Array<{ name?: unknown }>) : [];
  const names = accounts.map((a) => (typeof a.name === "string" ? a.name : "")).filter(Boolean);
  return (
    <>
      {names.length === 1 ? "This account requires" : "These accounts require"} two-factor authentication for every member, so it
      stays on while you belong to {names.length === 1 ? "it" : "them"}:
      <ul>
        {names.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
    </>
  );
}

/**
 * An MFA-gated action (turn off, new recovery codes): a current code, and the password too when
 * the sign-in is not recent (the server answers `reauthentication_required`; the field appears
 * in place and the same code is sent again with it).
 */
export function MfaCodeDialog({ open, title, description, confirmLabel, danger, onClose, run, onDone }: MfaCodeDialogProps) {
  const formId = useId();
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [needsPassword, setNeedsPassword] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (needsPassword) passwordRef.current?.focus();
  }, [needsPassword]);

  function handleClose() {
    setCode("");
    setPassword("");
    setNeedsPassword(false);
    setErrors({});
    onClose();
  }

  function handleError(error: unknown) {
    if (isApiError(error, "reauthentication_required")) {
      setNeedsPassword(true);
      setErrors({ password: "Your sign-in is not recent: confirm your password too." });
    } else if (isApiError(error, "invalid_password")) setErrors({ password: getErrorMessage(error) });
    else if (isApiError(error, "invalid_code")) {
      setErrors({ code: getErrorMessage(error) });
      setCode("");
      codeRef.current?.focus();
    } else if (isApiError(error, "mfa_required_by_account")) setErrors({ general: requiredByAccountMessage(error) });
    else setErrors({ general: getErrorMessage(error) });
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Errors = {};
    if (!code.trim()) found.code = "Enter a code from your authenticator app, or a recovery code.";
    if (needsPassword && !password) found.password = "Enter your password.";
    setErrors(found);
    if (found.code) return codeRef.current?.focus();
    if (found.password) return passwordRef.current?.focus();
    setPending(true);
    try {
      await run({ code: code.trim(), ...(needsPassword ? { password } : {}) });
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
      title={title}
      description={description}
      size="sm"
      initialFocusRef={codeRef}
      footer={
        <>
          <Button onClick={handleClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant={danger ? "danger" : "primary"} loading={pending}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <form id={formId} className="stack" noValidate onSubmit={handleSubmit}>
        {errors.general ? <Alert tone="error">{errors.general}</Alert> : null}
        <CodeField ref={codeRef} label="Authentication code" allowRecovery value={code} onChange={setCode} error={errors.code} />
        {needsPassword ? (
          <PasswordField
            ref={passwordRef}
            label="Password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={errors.password}
          />
        ) : null}
      </form>
    </Dialog>
  );
}

import { useId, useRef, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { CurrentPasswordField } from "../../../components/password/current-password-field";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { TextField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-error";
import { isPasskeyConfirmationRequired, PasskeyConfirmPrompt } from "../../../components/reauth/passkey-confirm-prompt";
import { getErrorMessage } from "../../../lib/error-messages";
import { isAbortError, useAbortableRequest } from "../../../lib/network-status";
import { useDeleteAccount } from "../api/delete-account";
import { CodeField } from "../../../components/ui/code-field";

/** Props of {@link DeleteAccountDialog}. */
export interface DeleteAccountDialogProps {
  open: boolean;
  email: string;
  mfaEnabled: boolean;
  onClose: () => void;
}

type Errors = { password?: string; code?: string; confirmEmail?: string; general?: ReactNode };

/** Why the deletion is refused: the accounts the person is the only administrator of. */
export function SoleAdminAccounts({ accounts }: { accounts: ReadonlyArray<{ id: unknown; name: unknown }> }) {
  return (
    <>
      You are the only administrator of:
      <ul>
        {accounts.map((a) => (
          <li key={String(a.id)}>
            {String(a.name)} ({String(a.id)})
          </li>
        ))}
      </ul>
      Make someone else an administrator there first: every account keeps at least one.
    </>
  );
}

function soleAdminMessage(error: unknown): ReactNode {
  const accounts =
    isApiError(error) && Array.isArray(error.details.accounts)
      ? (error.details.accounts as Array<{ id?: unknown; name?: unknown }>)
      : [];
  return <SoleAdminAccounts accounts={accounts.map(({ id, name }) => ({ id, name }))} />;
}

/** After deletion: the session and the site's data are gone (Clear-Site-Data); only a way out remains. */
function Goodbye({ email }: { email: string }) {
  return (
    <Dialog open onClose={() => window.location.assign("/login")} title="Your account was deleted" hideCloseButton>
      <div className="stack">
        <p>Goodbye. Your login and its personal data have been erased, and you were signed out everywhere.</p>
        <p className="text-muted">A confirmation was sent to {email}.</p>
        <Button variant="primary" onClick={() => window.location.assign("/login")}>
          Go to the sign-in page
        </Button>
      </div>
    </Dialog>
  );
}

/** Confirms deletion: password, a code when MFA is on, and the email typed out. */
export function DeleteAccountDialog({ open, email, mfaEnabled, onClose }: DeleteAccountDialogProps) {
  const remove = useDeleteAccount();
  const request = useAbortableRequest();
  const formId = useId();
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [confirmEmail, setConfirmEmail] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  // The person's only second factor is a passkey and the sign-in is not recent: it confirms first.
  const [passkeyNeeded, setPasskeyNeeded] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const emailMatches = confirmEmail.trim().toLowerCase() === email.toLowerCase();

  function handleClose() {
    request.abort();
    setPassword("");
    setCode("");
    setConfirmEmail("");
    setErrors({});
    setPasskeyNeeded(false);
    remove.reset();
    onClose();
  }

  function handleError(error: unknown) {
    if (isAbortError(error)) return;
    if (isPasskeyConfirmationRequired(error)) {
      setErrors({});
      setPasskeyNeeded(true);
    } else if (isApiError(error, "invalid_password")) {
      setErrors({ password: getErrorMessage(error) });
      passwordRef.current?.focus();
    } else if (isApiError(error, "invalid_code")) {
      setErrors({ code: getErrorMessage(error) });
      setCode("");
      codeRef.current?.focus();
    } else if (isApiError(error, "validation_failed")) setErrors({ confirmEmail: "Type your email address exactly as shown." });
    else if (isApiError(error, "sole_admin")) setErrors({ general: soleAdminMessage(error) });
    else setErrors({ general: getErrorMessage(error) });
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Errors = {};
    if (!password) found.password = "Enter your password.";
    if (mfaEnabled && !code.trim()) found.code = "Enter a code from your authenticator app, or a recovery code.";
    if (!emailMatches) found.confirmEmail = `Type ${email} to confirm.`;
    setErrors(found);
    if (found.password) return passwordRef.current?.focus();
    if (found.code) return codeRef.current?.focus();
    if (found.confirmEmail) return emailRef.current?.focus();
    send();
  }

  function send() {
    setPasskeyNeeded(false);
    remove.mutate(
      {
        input: { password, confirmEmail: confirmEmail.trim(), ...(mfaEnabled ? { code: code.trim() } : {}) },
        signal: request.next(),
      },
      { onError: handleError },
    );
  }

  if (remove.isSuccess) return <Goodbye email={email} />;
  return (
    <Dialog
      open={open}
      onClose={handleClose}
      title="Delete your account permanently?"
      description="Your profile, password, two-factor authentication, recovery codes, memberships and sessions are erased. This cannot be undone."
      initialFocusRef={passwordRef}
      footer={
        <>
          <Button onClick={handleClose}>Cancel</Button>
          <Button type="submit" form={formId} variant="danger" loading={remove.isPending}>
            Delete permanently
          </Button>
        </>
      }
    >
      <form id={formId} className="stack" noValidate onSubmit={handleSubmit}>
        {errors.general ? <Alert tone="error">{errors.general}</Alert> : null}
        {passkeyNeeded ? <PasskeyConfirmPrompt onConfirmed={send} /> : null}
        <CurrentPasswordField ref={passwordRef} value={password} onChange={setPassword} error={errors.password} />
        {mfaEnabled ? <CodeField ref={codeRef} allowRecovery value={code} onChange={setCode} error={errors.code} /> : null}
        <TextField
          ref={emailRef}
          label={
            <>
              Type <strong className="confirm-email">{email}</strong> to confirm
            </>
          }
          name="confirmEmail"
          type="email"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={confirmEmail}
          onChange={(event) => setConfirmEmail(event.target.value)}
          error={errors.confirmEmail}
        />
      </form>
    </Dialog>
  );
}

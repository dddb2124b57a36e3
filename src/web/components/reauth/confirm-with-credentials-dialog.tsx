import { useEffect, useId, useRef, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { CurrentPasswordField } from "../password/current-password-field";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { CodeField } from "../ui/code-field";
import { Dialog } from "../ui/dialog";
import { isApiError } from "../../lib/api-error";
import { getErrorMessage } from "../../lib/error-messages";
import { isAbortError, useAbortableRequest } from "../../lib/network-status";
import { isPasskeyCancelled, passkeysSupported, reauthenticateWithPasskey } from "../../lib/passkeys";

/** What the person typed to confirm it's them; only the fields the dialog asked for are set. */
export interface Credentials {
  password?: string;
  code?: string;
}

/** Props of {@link ConfirmWithCredentialsDialog}. */
export interface ConfirmWithCredentialsDialogProps {
  open: boolean;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** A red confirm button, for actions that end or remove something (default true). */
  danger?: boolean;
  /** Ask for a code from the authenticator app (or a recovery code) from the start: MFA-gated actions. */
  requireCode?: boolean;
  onClose: () => void;
  /**
   * Does the change with what was typed, sending its request with `signal` (aborted when the
   * person cancels or leaves). When it fails with `reauthentication_required`, the dialog asks
   * for the password (and a code when the server says so) and calls it again.
   */
  run: (credentials: Credentials, signal: AbortSignal) => Promise<unknown>;
  /** Called after `run` succeeded and the dialog closed. */
  onDone: () => void;
  /** The message for a failure the dialog does not handle itself; the friendly default otherwise. */
  describeError?: (error: unknown) => ReactNode | undefined;
  /** The person has a passkey: offer "Use a passkey" when it's time to confirm it's them. */
  offerPasskey?: boolean;
}

type Errors = { password?: string; code?: string; general?: ReactNode };

const CODE_MISSING = "Enter a code from your authenticator app, or a recovery code.";

/**
 * The one way a signed-in person confirms a sensitive action: a question, then (where needed) a
 * current code, and the password once the server answers `reauthentication_required` because
 * the sign-in is not recent (ASVS 7.5.2). The fields appear in place, the typed code is kept, and
 * the same action is sent again, so the person never loses their place. Focus starts on the
 * first field, or on Cancel when there is nothing to type (the safe choice).
 */
export function ConfirmWithCredentialsDialog({
  open,
  title,
  description,
  confirmLabel,
  danger = true,
  requireCode = false,
  onClose,
  run,
  onDone,
  describeError,
  offerPasskey = false,
}: ConfirmWithCredentialsDialogProps) {
  const formId = useId();
  const [needsPassword, setNeedsPassword] = useState(false);
  // The person's only second factor is a passkey: their password alone will not do.
  const [passkeyOnly, setPasskeyOnly] = useState(false);
  const [serverWantsCode, setServerWantsCode] = useState(false);
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const request = useAbortableRequest();
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const asksForCode = requireCode || serverWantsCode;

  // The form changed under the person's eyes: put them where they need to type.
  useEffect(() => {
    if (needsPassword) passwordRef.current?.focus();
  }, [needsPassword]);

  function handleClose() {
    // Cancel works while the request runs (a slow or lost network): its answer is then ignored.
    request.abort();
    setPending(false);
    setNeedsPassword(false);
    setPasskeyOnly(false);
    setServerWantsCode(false);
    setPassword("");
    setCode("");
    setErrors({});
    onClose();
  }

  function handleError(error: unknown) {
    if (isApiError(error, "reauthentication_required")) {
      setErrors({});
      if (error.details.passkeyRequired === true) return setPasskeyOnly(true);
      setNeedsPassword(true);
      if (error.details.codeRequired === true) setServerWantsCode(true);
    } else if (isApiError(error, "invalid_password")) {
      setErrors({ password: getErrorMessage(error) });
      passwordRef.current?.focus();
    } else if (isApiError(error, "invalid_credentials")) {
      setErrors({ general: "That passkey wasn't accepted. Try again, or use your password." });
    } else if (isApiError(error, "invalid_code")) {
      setErrors({ code: getErrorMessage(error) });
      setCode("");
      codeRef.current?.focus();
    } else setErrors({ general: describeError?.(error) ?? getErrorMessage(error) });
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Errors = {};
    if (asksForCode && !code.trim()) found.code = CODE_MISSING;
    if (needsPassword && !password) found.password = "Enter your password.";
    setErrors(found);
    if (found.password) return passwordRef.current?.focus();
    if (found.code) return codeRef.current?.focus();
    setPending(true);
    const signal = request.next();
    try {
      await run({ ...(asksForCode ? { code: code.trim() } : {}), ...(needsPassword ? { password } : {}) }, signal);
      if (signal.aborted) return;
      handleClose();
      onDone();
    } catch (error) {
      if (signal.aborted || isAbortError(error)) return;
      handleError(error);
    } finally {
      if (!signal.aborted) setPending(false);
    }
  }

  /** Confirms with a passkey (the session counts as fresh), then does the change without a password. */
  async function confirmWithPasskey() {
    setErrors({});
    setPending(true);
    const signal = request.next();
    try {
      await reauthenticateWithPasskey();
      if (signal.aborted) return;
      await run({ ...(asksForCode && code.trim() ? { code: code.trim() } : {}) }, signal);
      if (signal.aborted) return;
      handleClose();
      onDone();
    } catch (error) {
      if (signal.aborted || isAbortError(error)) return;
      if (isPasskeyCancelled(error)) setErrors({ general: "No passkey was used. Try again when you're ready." });
      else handleError(error);
    } finally {
      if (!signal.aborted) setPending(false);
    }
  }

  const showPasskey = (passkeyOnly || (needsPassword && offerPasskey)) && passkeysSupported();

  return (
    <Dialog
      open={open}
      onClose={handleClose}
      title={needsPassword || passkeyOnly ? "Confirm it's you" : title}
      description={
        passkeyOnly
          ? "You signed in a while ago. For your security, confirm it's you with your passkey to continue."
          : needsPassword
            ? `You signed in a while ago. For your security, enter your password${serverWantsCode && !requireCode ? " and a code from your authenticator app" : ""} to continue.`
            : description
      }
      size="sm"
      initialFocusRef={requireCode ? codeRef : cancelRef}
      footer={
        <>
          <Button ref={cancelRef} onClick={handleClose}>
            Cancel
          </Button>
          {passkeyOnly ? null : (
            <Button type="submit" form={formId} variant={danger ? "danger" : "primary"} loading={pending}>
              {confirmLabel}
            </Button>
          )}
        </>
      }
    >
      <form id={formId} className="stack" noValidate onSubmit={handleSubmit}>
        {errors.general ? <Alert tone="error">{errors.general}</Alert> : null}
        {needsPassword ? (
          <CurrentPasswordField ref={passwordRef} value={password} onChange={setPassword} error={errors.password} />
        ) : null}
        {asksForCode && !passkeyOnly ? (
          <CodeField ref={codeRef} allowRecovery value={code} onChange={setCode} error={errors.code} />
        ) : null}
        {showPasskey ? (
          <Button
            variant={passkeyOnly ? "primary" : "secondary"}
            onClick={() => void confirmWithPasskey()}
            loading={pending && passkeyOnly}
          >
            {passkeyOnly ? "Use my passkey" : "Use a passkey instead"}
          </Button>
        ) : null}
      </form>
    </Dialog>
  );
}

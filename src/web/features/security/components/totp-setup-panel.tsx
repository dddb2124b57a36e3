import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { CopyButton } from "../../../components/ui/copy-button";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import type { TotpSetup } from "../api/mfa";
import { useConfirmTotp } from "../api/mfa";
import { CodeField } from "../../../components/ui/code-field";

/** Props of {@link TotpSetupPanel}. */
export interface TotpSetupPanelProps {
  setup: TotpSetup;
  email: string;
  issuer: string;
  onConfirmed: (recoveryCodes: string[]) => void;
  onCancel: () => void;
  /** Bring the steps into view and move focus to them (setup started without a click, e.g. on arrival). */
  moveFocusHere?: boolean;
}

/** `ABCD EFGH IJKL …`: easier to type from the screen than 32 characters in one run. */
export function groupSecret(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

/**
 * Setup: the QR code (an SVG from the server, shown as an image so nothing in it can run), the
 * key in groups of four with a copy button for typing it by hand, and the first code, which
 * turns MFA on.
 */
export function TotpSetupPanel({ setup, email, issuer, onConfirmed, onCancel, moveFocusHere = false }: TotpSetupPanelProps) {
  const confirm = useConfirmTotp();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const codeRef = useRef<HTMLInputElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const panel = panelRef.current;
    if (!moveFocusHere || !panel) return;
    // The whole card (its heading and any notice above the steps) comes into view.
    (panel.closest("section") ?? panel).scrollIntoView({ block: "start" });
    panel.focus({ preventScroll: true });
  }, [moveFocusHere]);
  const qrSource = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrCodeSvg)}`;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = code.replace(/\s/g, "");
    if (!/^\d{6}$/.test(value)) {
      setError("Enter the 6 digits your authenticator app shows.");
      return codeRef.current?.focus();
    }
    setError(undefined);
    confirm.mutate(value, {
      onSuccess: (result) => onConfirmed(result.recoveryCodes),
      onError: (failure) => {
        setError(
          isApiError(failure, "invalid_code")
            ? "That code is not right. Check the app and enter the current code."
            : getErrorMessage(failure),
        );
        setCode("");
        codeRef.current?.focus();
      },
    });
  }

  return (
    <div className="totp-setup" ref={panelRef} tabIndex={-1} role="group" aria-label="Set up your authenticator app">
      <ol className="totp-setup__steps">
        <li className="totp-setup__step">
          <h3 className="totp-setup__heading">Scan the QR code</h3>
          <p className="text-muted">Open your authenticator app, choose to add an account, and scan this code.</p>
          <img
            className="totp-setup__qr"
            src={qrSource}
            width={220}
            height={220}
            alt={`QR code to add ${issuer}: ${email} to an authenticator app`}
          />
        </li>
        <li className="totp-setup__step">
          <h3 className="totp-setup__heading">Or enter the key by hand</h3>
          <p className="text-muted">Choose “Enter a setup key”, type {issuer} as the name, this key, and “Time based”.</p>
          <div className="totp-setup__secret">
            <code aria-label="Setup key">{groupSecret(setup.secret)}</code>
            <CopyButton value={setup.secret} label="Copy key" />
          </div>
        </li>
        <li className="totp-setup__step">
          <h3 className="totp-setup__heading">Enter the code from the app</h3>
          <form className="stack" noValidate onSubmit={handleSubmit}>
            {confirm.isError && !isApiError(confirm.error, "invalid_code") ? (
              <Alert tone="error">{getErrorMessage(confirm.error)}</Alert>
            ) : null}
            <CodeField ref={codeRef} value={code} onChange={setCode} error={error} />
            <div className="row">
              <Button type="submit" variant="primary" loading={confirm.isPending}>
                Verify and turn on
              </Button>
              <Button onClick={onCancel} disabled={confirm.isPending}>
                Cancel
              </Button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}

import { useState } from "react";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { isApiError } from "../../lib/api-error";
import { getErrorMessage } from "../../lib/error-messages";
import { isPasskeyCancelled, passkeysSupported, reauthenticateWithPasskey } from "../../lib/passkeys";

/** True for the server's answer that this person must confirm with their passkey (their only second factor). */
export function isPasskeyConfirmationRequired(error: unknown): boolean {
  return isApiError(error, "reauthentication_required") && error.details.passkeyRequired === true;
}

/** Props of {@link PasskeyConfirmPrompt}. */
export interface PasskeyConfirmPromptProps {
  /** Called once the passkey confirmed it's them (the session now counts as freshly signed in). */
  onConfirmed: () => void;
}

/**
 * Inside a form whose request the server refused until the person confirms with their passkey
 * (it is their only second factor, so the password alone is one factor): says why, offers the
 * passkey, and hands back to the form, which sends the same request again. Where the browser has
 * no passkeys, it says how to go on instead.
 */
export function PasskeyConfirmPrompt({ onConfirmed }: PasskeyConfirmPromptProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  async function confirm() {
    setError(undefined);
    setPending(true);
    try {
      await reauthenticateWithPasskey();
      onConfirmed();
    } catch (caught) {
      setError(isPasskeyCancelled(caught) ? "No passkey was used. Try again when you're ready." : getErrorMessage(caught));
    } finally {
      setPending(false);
    }
  }

  if (!passkeysSupported()) {
    return (
      <Alert tone="warning" title="Confirm it's you with your passkey">
        You signed in a while ago, and your passkey is your second factor. Open this page in a browser that can use your passkey,
        or sign out and in again, then try once more.
      </Alert>
    );
  }
  return (
    <Alert
      tone="info"
      title="Confirm it's you with your passkey"
      action={
        <Button variant="primary" loading={pending} onClick={() => void confirm()}>
          Use my passkey
        </Button>
      }
    >
      You signed in a while ago. For your security, confirm it's you with your passkey to continue.
      {error ? <span role="alert"> {error}</span> : null}
    </Alert>
  );
}

import { useState } from "react";
import type { FormEvent } from "react";
import { CurrentPasswordField } from "../../../components/password/current-password-field";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { CodeField } from "../../../components/ui/code-field";
import { getErrorMessage } from "../../../lib/error-messages";
import { cancelSignIn, reauthenticate, stepUp } from "../api/sso";

/** Props of {@link SsoConfirmForm}. */
export interface SsoConfirmFormProps {
  /** `password`: confirm it's you (password, and a code where MFA is on); `code`: the code step only. */
  mode: "password" | "code";
  mfaEnabled: boolean;
  /** The interaction to go back to (`/oidc/interaction/<uid>`). */
  interaction: string;
}

/**
 * What an app's sign-in request asks of a person already signed in here: a fresh sign-in
 * (`prompt=login`, `max_age`) or a second factor (an app or account that requires MFA). On
 * success the browser goes back to the interaction, which takes it to the app; Cancel tells the
 * app the person declined.
 */
export function SsoConfirmForm({ mode, mfaEnabled, interaction }: SsoConfirmFormProps) {
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const askPassword = mode === "password";
  const askCode = mode === "code" || mfaEnabled;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (askPassword && !password) return setError("Enter your password.");
    if (askCode && !code.trim()) return setError("Enter the code from your authenticator app, or a recovery code.");
    setBusy(true);
    setError(undefined);
    try {
      if (askPassword) await reauthenticate({ password, ...(askCode ? { code: code.trim() } : {}) });
      else await stepUp({ code: code.trim() });
      window.location.assign(interaction);
    } catch (failure) {
      setBusy(false);
      setCode("");
      setError(getErrorMessage(failure));
    }
  }

  async function cancel() {
    setBusy(true);
    try {
      window.location.assign(await cancelSignIn(interaction));
    } catch (failure) {
      setBusy(false);
      setError(getErrorMessage(failure));
    }
  }

  return (
    <form className="stack" noValidate onSubmit={(event) => void submit(event)}>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {askPassword ? <CurrentPasswordField value={password} onChange={setPassword} autoFocus required /> : null}
      {askCode ? <CodeField value={code} onChange={setCode} allowRecovery /> : null}
      <Button type="submit" loading={busy} fullWidth>
        Continue
      </Button>
      <Button type="button" variant="secondary" disabled={busy} fullWidth onClick={() => void cancel()}>
        Cancel
      </Button>
    </form>
  );
}

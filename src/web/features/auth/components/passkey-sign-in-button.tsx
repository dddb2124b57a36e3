import { useEffect, useRef, useState } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { isApiError } from "../../../lib/api-error";
import { cancelPasskeyRequest, isPasskeyCancelled, passkeyAutofillSupported, passkeysSupported } from "../../../lib/passkeys";
import type { AuthenticatedResponse } from "../api/login-mfa";
import { useSignInWithPasskey } from "../api/passkey-sign-in";
import { useAuthErrorMessage } from "../hooks/use-rate-limit-message";

/** The options of a passkey request live 5 minutes on the server: the autofill asks again before that. */
const AUTOFILL_REFRESH_MS = 4.5 * 60_000;

/** Props of {@link PasskeySignInButton}. */
export interface PasskeySignInButtonProps {
  onAuthenticated: (response: AuthenticatedResponse) => void;
  /** Also offer passkeys in the autofill of the field marked `autocomplete="… webauthn"` (the login page). */
  autofill?: boolean;
  label?: string;
  variant?: "primary" | "secondary";
}

/** The failure of a passkey attempt, in words (a cancelled dialog says nothing). */
function usePasskeyErrorMessage(error: unknown): string | undefined {
  const generic = useAuthErrorMessage(error);
  if (!error || isPasskeyCancelled(error)) return undefined;
  if (isApiError(error, "invalid_credentials")) return "That passkey wasn't accepted. Try again, or sign in another way.";
  if (isApiError(error)) return generic;
  return "Your browser couldn't use a passkey. Try again, or sign in another way.";
}

/**
 * "Sign in with a passkey": the browser's own passkey dialog. With `autofill`, passkeys are also
 * offered in the email field's suggestions (WebAuthn conditional mediation) while the page is
 * open; the button cancels that request and starts its own.
 */
export function PasskeySignInButton({
  onAuthenticated,
  autofill = false,
  label = "Sign in with a passkey",
  variant = "secondary",
}: PasskeySignInButtonProps) {
  const signIn = useSignInWithPasskey();
  const [supported] = useState(passkeysSupported);
  // The failure to show: a button attempt's, or a passkey picked from the autofill and refused by
  // the server. A browser that cannot offer the autofill here stays silent.
  const [shownError, setShownError] = useState<unknown>();
  const done = useRef(onAuthenticated);
  useEffect(() => {
    done.current = onAuthenticated;
  }, [onAuthenticated]);
  const errorMessage = usePasskeyErrorMessage(shownError);

  useEffect(() => {
    if (!autofill || !supported) return;
    let stopped = false;
    let timer: number | undefined;
    async function listen() {
      if (stopped || !(await passkeyAutofillSupported())) return;
      timer = window.setTimeout(() => {
        cancelPasskeyRequest();
        void listen();
      }, AUTOFILL_REFRESH_MS);
      signIn.mutate(
        { autofill: true },
        {
          onSuccess: (response) => done.current(response),
          onError: (error) => {
            window.clearTimeout(timer);
            if (stopped || !isApiError(error)) return;
            // The server refused the passkey picked: say so, and keep offering passkeys.
            setShownError(error);
            window.setTimeout(() => void listen(), 1000);
          },
        },
      );
    }
    void listen();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      cancelPasskeyRequest();
    };
    // signIn.mutate is stable; listening starts once per page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autofill, supported]);

  if (!supported) return null;
  return (
    <div className="stack">
      {errorMessage ? <Alert tone="error">{errorMessage}</Alert> : null}
      <Button
        type="button"
        variant={variant}
        fullWidth
        loading={signIn.isPending && signIn.variables?.autofill !== true}
        onClick={() => {
          cancelPasskeyRequest();
          setShownError(undefined);
          signIn.mutate(
            { autofill: false },
            { onSuccess: (response) => done.current(response), onError: (error) => setShownError(error) },
          );
        }}
      >
        {label}
      </Button>
    </div>
  );
}

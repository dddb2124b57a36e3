import { useEffect, useRef, useState } from "react";
import { DEFAULT_MFA_ISSUER } from "@contracts/security";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { SkeletonText } from "../../../components/ui/skeleton";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import type { TotpSetup } from "../api/mfa";
import { useStartTotpSetup } from "../api/mfa";
import { RecoveryCodesPanel } from "./recovery-codes-panel";
import { SetupReauthForm } from "./setup-reauth-form";
import { TotpSetupPanel } from "./totp-setup-panel";

type Step = { kind: "starting" } | { kind: "reauth" } | { kind: "setup"; setup: TotpSetup } | { kind: "codes"; codes: string[] };

function issuerOf(setup: TotpSetup): string {
  try {
    return new URL(setup.otpauthUri).searchParams.get("issuer") ?? DEFAULT_MFA_ISSUER;
  } catch {
    return DEFAULT_MFA_ISSUER;
  }
}

/** Props of {@link MfaSetupFlow}. */
export interface MfaSetupFlowProps {
  email: string;
  /** After the recovery codes were saved (MFA is on). */
  onFinished: () => void;
  /** Cancel before MFA is on. */
  onCancel: () => void;
  /** Text of the last button, under the recovery codes. */
  finishLabel?: string | undefined;
  /** Bring the steps into view and move focus to them (setup opened without a click). */
  moveFocusHere?: boolean;
}

/**
 * Turning MFA on, from its first request: the password when the sign-in is not recent, the QR
 * code and key, the first code, then the recovery codes. Starts as soon as it is shown.
 */
export function MfaSetupFlow({ email, onFinished, onCancel, finishLabel, moveFocusHere = false }: MfaSetupFlowProps) {
  const start = useStartTotpSetup();
  const [step, setStep] = useState<Step>({ kind: "starting" });
  const started = useRef(false);

  function begin(password?: string) {
    start.mutate(password, {
      onSuccess: (setup) => setStep({ kind: "setup", setup }),
      onError: (error) => {
        if (isApiError(error, "reauthentication_required", "invalid_password")) setStep({ kind: "reauth" });
      },
    });
  }

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    begin();
    // begin is recreated each render; the ref makes this run once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  switch (step.kind) {
    case "reauth":
      return <SetupReauthForm onSubmit={begin} onCancel={onCancel} pending={start.isPending} error={start.error} />;
    case "setup":
      return (
        <TotpSetupPanel
          setup={step.setup}
          email={email}
          issuer={issuerOf(step.setup)}
          moveFocusHere={moveFocusHere}
          onCancel={onCancel}
          onConfirmed={(codes) => setStep({ kind: "codes", codes })}
        />
      );
    case "codes":
      return <RecoveryCodesPanel codes={step.codes} email={email} doneLabel={finishLabel} onDone={onFinished} />;
    case "starting":
      return start.isError ? (
        <div className="stack">
          <Alert tone="error">{getErrorMessage(start.error)}</Alert>
          <div className="row">
            <Button variant="primary" onClick={() => begin()}>
              Try again
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </div>
        </div>
      ) : (
        <SkeletonText lines={3} label="Preparing your authenticator setup…" />
      );
  }
}

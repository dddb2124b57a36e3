import { useState } from "react";
import { Alert } from "../../../components/ui/alert";
import { Badge } from "../../../components/ui/badge";
import { Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { ErrorState } from "../../../components/ui/empty-state";
import { SkeletonText } from "../../../components/ui/skeleton";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import type { TotpSetup } from "../api/mfa";
import { useDisableTotp, useMfaStatus, useRegenerateRecoveryCodes, useStartTotpSetup } from "../api/mfa";
import { MfaCodeDialog } from "./mfa-code-dialog";
import { MfaIntro, MfaOnStatus } from "./mfa-status";
import { SetupReauthForm } from "./setup-reauth-form";
import { RecoveryCodesPanel } from "./recovery-codes-panel";
import { TotpSetupPanel } from "./totp-setup-panel";

type View =
  | { kind: "status" }
  | { kind: "reauth" }
  | { kind: "setup"; setup: TotpSetup }
  | { kind: "codes"; codes: string[]; enabled: boolean };

function issuerOf(setup: TotpSetup): string {
  try {
    return new URL(setup.otpauthUri).searchParams.get("issuer") ?? "Connect Auth";
  } catch {
    return "Connect Auth";
  }
}

/** The Two-factor authentication card: off → setup → recovery codes → on (regenerate, turn off). */
export function MfaCard({ email }: { email: string }) {
  const status = useMfaStatus();
  const start = useStartTotpSetup();
  const disable = useDisableTotp();
  const regenerate = useRegenerateRecoveryCodes();
  const [view, setView] = useState<View>({ kind: "status" });
  const [dialog, setDialog] = useState<"disable" | "regenerate" | null>(null);
  const [notice, setNotice] = useState<string>();

  function beginSetup(password?: string) {
    setNotice(undefined);
    start.mutate(password, {
      onSuccess: (setup) => setView({ kind: "setup", setup }),
      onError: (error) => {
        if (isApiError(error, "reauthentication_required", "invalid_password")) setView({ kind: "reauth" });
      },
    });
  }

  const enabled = status.data?.totp.enabled === true;
  const badge = status.data ? <Badge tone={enabled ? "success" : "neutral"}>{enabled ? "On" : "Off"}</Badge> : undefined;
  let body;
  if (status.isPending) body = <SkeletonText lines={3} label="Loading two-factor authentication settings…" />;
  else if (status.isError) body = <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  else if (view.kind === "reauth")
    body = (
      <SetupReauthForm
        onSubmit={beginSetup}
        onCancel={() => setView({ kind: "status" })}
        pending={start.isPending}
        error={start.error}
      />
    );
  else if (view.kind === "setup")
    body = (
      <TotpSetupPanel
        setup={view.setup}
        email={email}
        issuer={issuerOf(view.setup)}
        onCancel={() => setView({ kind: "status" })}
        onConfirmed={(codes) => setView({ kind: "codes", codes, enabled: true })}
      />
    );
  else if (view.kind === "codes")
    body = (
      <RecoveryCodesPanel
        codes={view.codes}
        email={email}
        onDone={() => {
          setNotice(view.enabled ? "Two-factor authentication is on. Your other sessions were signed out." : undefined);
          setView({ kind: "status" });
        }}
      />
    );
  else if (enabled)
    body = (
      <MfaOnStatus status={status.data} onRegenerate={() => setDialog("regenerate")} onDisable={() => setDialog("disable")} />
    );
  else
    body = (
      <div className="stack">
        <MfaIntro />
        {start.isError && !isApiError(start.error, "reauthentication_required") ? (
          <Alert tone="error">{getErrorMessage(start.error)}</Alert>
        ) : null}
        <div className="row">
          <Button variant="primary" loading={start.isPending} onClick={() => beginSetup()}>
            Set up
          </Button>
        </div>
      </div>
    );

  return (
    <Card
      title="Two-factor authentication"
      description="A second step after your password, with an authenticator app."
      headerAction={badge}
    >
      <div className="stack">
        {notice ? (
          <Alert tone="success" onDismiss={() => setNotice(undefined)}>
            {notice}
          </Alert>
        ) : null}
        {body}
      </div>
      <MfaCodeDialog
        open={dialog === "regenerate"}
        title="Create new recovery codes"
        description="Your current recovery codes stop working. Enter a code to continue."
        confirmLabel="Create new codes"
        onClose={() => setDialog(null)}
        run={async (input) => {
          const result = await regenerate.mutateAsync(input);
          setView({ kind: "codes", codes: result.recoveryCodes, enabled: false });
        }}
        onDone={() => undefined}
      />
      <MfaCodeDialog
        open={dialog === "disable"}
        title="Turn off two-factor authentication?"
        description="Signing in will need only your password, and your recovery codes stop working. Your other sessions are signed out."
        confirmLabel="Turn off"
        danger
        onClose={() => setDialog(null)}
        run={disable.mutateAsync}
        onDone={() => setNotice("Two-factor authentication is off. Your other sessions were signed out.")}
      />
    </Card>
  );
}

import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { ConfirmWithCredentialsDialog } from "../../../components/reauth/confirm-with-credentials-dialog";
import type { Credentials } from "../../../components/reauth/confirm-with-credentials-dialog";
import { Alert } from "../../../components/ui/alert";
import { Badge } from "../../../components/ui/badge";
import { Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { ErrorState } from "../../../components/ui/empty-state";
import { SkeletonText } from "../../../components/ui/skeleton";
import type { CodeWithReauth } from "../api/mfa";
import { useDisableTotp, useMfaStatus, useRegenerateRecoveryCodes } from "../api/mfa";
import { useSetupArrival } from "../hooks/use-setup-arrival";
import { MfaIntro, MfaOnStatus } from "./mfa-status";
import { describeMfaRequiredByAccount } from "./mfa-required-message";
import { MfaSetupFlow } from "./mfa-setup-flow";
import { RecoveryCodesPanel } from "./recovery-codes-panel";

type View = { kind: "status" } | { kind: "enrolling" } | { kind: "codes"; codes: string[] };

/** The dialog's credentials as the MFA calls take them (a code is always asked for). */
function toCodeInput(credentials: Credentials): CodeWithReauth {
  return { code: credentials.code ?? "", ...(credentials.password === undefined ? {} : { password: credentials.password }) };
}

/** Why the person was sent here from another section, and where they go once MFA is on. */
function ArrivalNotice({ enabled, next }: { enabled: boolean; next: string | undefined }) {
  if (enabled) {
    return (
      <Alert tone="success" title="Two-factor authentication is on" action={next ? <Link to={next}>Continue</Link> : undefined}>
        You can enter accounts that require it.
      </Alert>
    );
  }
  return (
    <Alert tone="info" title="Set up two-factor authentication to continue">
      The account you chose asks for a second step at sign-in: a code from an authenticator app, or a passkey (see Passkeys
      below).
      {next ? " Once it's on and your recovery codes are saved, you'll be taken back." : ""}
    </Alert>
  );
}

/** The Two-factor authentication card: off → setup → recovery codes → on (regenerate, turn off). */
export function MfaCard({ email }: { email: string }) {
  const status = useMfaStatus();
  const disable = useDisableTotp();
  const regenerate = useRegenerateRecoveryCodes();
  const arrival = useSetupArrival();
  const [view, setView] = useState<View>({ kind: "status" });
  const [dialog, setDialog] = useState<"disable" | "regenerate" | null>(null);
  const [notice, setNotice] = useState<string>();
  const autoStarted = useRef(false);
  const enabled = status.data?.totp.enabled === true;

  function beginSetup() {
    setNotice(undefined);
    setView({ kind: "enrolling" });
  }

  // Sent here to set MFA up (an account suggests it): start at once, no extra click.
  useEffect(() => {
    if (!arrival.isArrival || autoStarted.current || !status.isSuccess || status.data.totp.enabled) return;
    autoStarted.current = true;
    beginSetup();
  }, [arrival.isArrival, status.isSuccess, status.data]);

  const badge = status.data ? <Badge tone={enabled ? "success" : "neutral"}>{enabled ? "On" : "Off"}</Badge> : undefined;
  let body;
  if (status.isPending) body = <SkeletonText lines={3} label="Loading two-factor authentication settings…" />;
  else if (status.isError) body = <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  else if (view.kind === "enrolling")
    body = (
      <MfaSetupFlow
        email={email}
        moveFocusHere={arrival.isArrival}
        finishLabel={arrival.next ? "I saved my recovery codes, continue" : undefined}
        onCancel={() => setView({ kind: "status" })}
        onFinished={() => {
          setNotice("Two-factor authentication is on. Your other sessions were signed out.");
          setView({ kind: "status" });
          arrival.finish();
        }}
      />
    );
  else if (view.kind === "codes")
    body = <RecoveryCodesPanel codes={view.codes} email={email} onDone={() => setView({ kind: "status" })} />;
  else if (enabled)
    body = (
      <MfaOnStatus status={status.data} onRegenerate={() => setDialog("regenerate")} onDisable={() => setDialog("disable")} />
    );
  else
    body = (
      <div className="stack">
        <MfaIntro />
        <div className="row">
          <Button variant="primary" onClick={beginSetup}>
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
        {arrival.isArrival && status.isSuccess && !(enabled && view.kind === "enrolling") ? (
          <ArrivalNotice enabled={enabled} next={arrival.next} />
        ) : null}
        {notice ? (
          <Alert tone="success" onDismiss={() => setNotice(undefined)}>
            {notice}
          </Alert>
        ) : null}
        {body}
      </div>
      <ConfirmWithCredentialsDialog
        open={dialog === "regenerate"}
        title="Create new recovery codes?"
        description="Your current recovery codes stop working. Enter a code to continue."
        confirmLabel="Create new codes"
        danger={false}
        requireCode
        onClose={() => setDialog(null)}
        run={async (credentials, signal) => {
          const result = await regenerate.mutateAsync({ input: toCodeInput(credentials), signal });
          setView({ kind: "codes", codes: result.recoveryCodes });
        }}
        onDone={() => undefined}
      />
      <ConfirmWithCredentialsDialog
        open={dialog === "disable"}
        title="Turn off two-factor authentication?"
        description="Signing in will need only your password, and your recovery codes stop working. Your other sessions are signed out."
        confirmLabel="Turn off"
        requireCode
        onClose={() => setDialog(null)}
        run={(credentials, signal) => disable.mutateAsync({ input: toCodeInput(credentials), signal })}
        onDone={() => setNotice("Two-factor authentication is off. Your other sessions were signed out.")}
        describeError={describeMfaRequiredByAccount}
      />
    </Card>
  );
}

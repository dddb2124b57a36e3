import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { DEFAULT_MFA_ISSUER } from "@contracts/security";
import { ConfirmWithCredentialsDialog } from "../../../components/reauth/confirm-with-credentials-dialog";
import type { Credentials } from "../../../components/reauth/confirm-with-credentials-dialog";
import { Alert } from "../../../components/ui/alert";
import { Badge } from "../../../components/ui/badge";
import { Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { ErrorState } from "../../../components/ui/empty-state";
import { SkeletonText } from "../../../components/ui/skeleton";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import type { CodeWithReauth, TotpSetup } from "../api/mfa";
import { useDisableTotp, useMfaStatus, useRegenerateRecoveryCodes, useStartTotpSetup } from "../api/mfa";
import { useSetupArrival } from "../hooks/use-setup-arrival";
import { MfaIntro, MfaOnStatus } from "./mfa-status";
import { describeMfaRequiredByAccount } from "./mfa-required-message";
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
    return new URL(setup.otpauthUri).searchParams.get("issuer") ?? DEFAULT_MFA_ISSUER;
  } catch {
    return DEFAULT_MFA_ISSUER;
  }
}

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
      The account you chose asks for a code from an authenticator app at sign-in.
      {next ? " Once it's on and your recovery codes are saved, you'll be taken back." : ""}
    </Alert>
  );
}

/** The Two-factor authentication card: off → setup → recovery codes → on (regenerate, turn off). */
export function MfaCard({ email }: { email: string }) {
  const status = useMfaStatus();
  const start = useStartTotpSetup();
  const disable = useDisableTotp();
  const regenerate = useRegenerateRecoveryCodes();
  const arrival = useSetupArrival();
  const [view, setView] = useState<View>({ kind: "status" });
  const [dialog, setDialog] = useState<"disable" | "regenerate" | null>(null);
  const [notice, setNotice] = useState<string>();
  const autoStarted = useRef(false);
  const enabled = status.data?.totp.enabled === true;

  function beginSetup(password?: string) {
    setNotice(undefined);
    start.mutate(password, {
      onSuccess: (setup) => setView({ kind: "setup", setup }),
      onError: (error) => {
        if (isApiError(error, "reauthentication_required", "invalid_password")) setView({ kind: "reauth" });
      },
    });
  }

  // Sent here to set MFA up (an account requires or suggests it): start at once, no extra click.
  useEffect(() => {
    if (!arrival.isArrival || autoStarted.current || !status.isSuccess || status.data.totp.enabled) return;
    autoStarted.current = true;
    beginSetup();
    // beginSetup is recreated each render; the ref makes this run once per arrival.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [arrival.isArrival, status.isSuccess, status.data]);

  // On arrival the intro and its button would flash before the setup shows: say what's happening.
  const isAutoStarting = arrival.isArrival && !enabled && view.kind === "status" && (start.isIdle || start.isPending);
  const badge = status.data ? <Badge tone={enabled ? "success" : "neutral"}>{enabled ? "On" : "Off"}</Badge> : undefined;
  let body;
  if (status.isPending) body = <SkeletonText lines={3} label="Loading two-factor authentication settings…" />;
  else if (isAutoStarting && status.isSuccess) body = <SkeletonText lines={3} label="Preparing your authenticator setup…" />;
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
        moveFocusHere={arrival.isArrival}
        onCancel={() => setView({ kind: "status" })}
        onConfirmed={(codes) => setView({ kind: "codes", codes, enabled: true })}
      />
    );
  else if (view.kind === "codes")
    body = (
      <RecoveryCodesPanel
        codes={view.codes}
        email={email}
        doneLabel={arrival.next ? "I saved my recovery codes, continue" : undefined}
        onDone={() => {
          setNotice(view.enabled ? "Two-factor authentication is on. Your other sessions were signed out." : undefined);
          setView({ kind: "status" });
          if (view.enabled) arrival.finish();
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
        {arrival.isArrival && status.isSuccess && view.kind !== "codes" ? (
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
          setView({ kind: "codes", codes: result.recoveryCodes, enabled: false });
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

import { useEffect, useRef, useState } from "react";
import type { SessionDto } from "@contracts/sessions";
import { ConfirmWithCredentialsDialog } from "../../../components/reauth/confirm-with-credentials-dialog";
import type { Credentials } from "../../../components/reauth/confirm-with-credentials-dialog";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { ErrorState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { SkeletonText } from "../../../components/ui/skeleton";
import { Tabs } from "../../../components/ui/tabs";
import { useCurrentSession, useRevokeOtherSessions, useRevokeSession, type ReauthInput } from "../api/sessions";
import { describeDevice, SessionItem } from "./session-item";
import { NoOtherSessions, NoSessionHistory, SessionList } from "./session-list";
import "./sessions.css";

type Pending = { kind: "one"; session: SessionDto } | { kind: "others" } | null;

/** The Sessions section: this device on top, the other active sessions, and the history. */
export function SessionsPage() {
  const current = useCurrentSession();
  const revokeOne = useRevokeSession();
  const revokeOthers = useRevokeOtherSessions();
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);

  // After a revocation the button that opened the dialog is gone with its session: focus goes to
  // what happened, which screen readers then read.
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  function run(typed: Credentials, signal: AbortSignal): Promise<unknown> {
    // Nothing typed on the first try: the server asks for the password only when the sign-in is old.
    const credentials: ReauthInput | undefined = typed.password === undefined ? undefined : typed;
    if (pending?.kind === "one") return revokeOne.mutateAsync({ id: pending.session.id, credentials, signal });
    return revokeOthers.mutateAsync({ credentials, signal }).then(({ revoked }) => {
      const others = revoked === 1 ? "1 other session" : `${revoked} other sessions`;
      setNotice(revoked === 0 ? "You were not signed in anywhere else." : `Signed out of ${others}.`);
    });
  }

  function handleDone() {
    if (pending?.kind === "one" && pending.session.current) {
      window.location.assign("/login");
      return;
    }
    if (pending?.kind === "one") setNotice(`${describeDevice(pending.session)} was signed out.`);
  }

  const dialog =
    pending?.kind === "one"
      ? {
          title: pending.session.current ? "Sign out of this device?" : "Revoke this session?",
          description: pending.session.current
            ? "You will be signed out here and taken to the sign-in page."
            : `${describeDevice(pending.session)} will be signed out at once. Anyone using it will have to sign in again.`,
          confirmLabel: pending.session.current ? "Sign out" : "Revoke",
        }
      : {
          title: "Sign out everywhere else?",
          description:
            "Every other browser and device signed in to your profile is signed out at once. This device stays signed in.",
          confirmLabel: "Sign out everywhere else",
        };

  return (
    <>
      <PageHeader
        title="Sessions"
        description="Where you are signed in now, and where you were signed in before."
        actions={
          // Secondary, like each session's own button: the confirmation carries the red one. The
          // list may be stale (another device can sign in meanwhile), so it is always offered.
          <Button onClick={() => setPending({ kind: "others" })}>Sign out everywhere else</Button>
        }
      />
      <div className="stack-lg">
        {notice ? (
          <div ref={noticeRef} tabIndex={-1} className="sessions-notice">
            <Alert tone="success" onDismiss={() => setNotice(null)}>
              {notice}
            </Alert>
          </div>
        ) : null}
        <Card title="This device">
          {current.isPending ? <SkeletonText lines={3} label="Loading this session…" /> : null}
          {current.isError ? <ErrorState error={current.error} onRetry={() => void current.refetch()} /> : null}
          {current.data ? (
            <SessionItem session={current.data} onRevoke={(session) => setPending({ kind: "one", session })} />
          ) : null}
        </Card>
        <Tabs
          label="Sessions"
          items={[
            {
              id: "active",
              label: "Active",
              panel: (
                <SessionList
                  status="active"
                  hideCurrent
                  onRevoke={(session) => setPending({ kind: "one", session })}
                  empty={<NoOtherSessions />}
                />
              ),
            },
            { id: "history", label: "History", panel: <SessionList status="ended" empty={<NoSessionHistory />} /> },
          ]}
        />
      </div>
      <ConfirmWithCredentialsDialog
        open={pending !== null}
        {...dialog}
        onClose={() => setPending(null)}
        run={run}
        onDone={handleDone}
      />
    </>
  );
}

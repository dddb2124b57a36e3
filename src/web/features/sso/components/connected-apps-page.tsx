import { useState } from "react";
import type { ConnectedAppDto } from "@contracts/sso";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { Dialog } from "../../../components/ui/dialog";
import { EmptyState, ErrorState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { SkeletonText } from "../../../components/ui/skeleton";
import { getErrorMessage } from "../../../lib/error-messages";
import { useFormatters } from "../../../lib/formatters-context";
import { useConnectedApps, useDisconnectApp } from "../api/sso";

/** What each scope lets an app see, in words. */
const SCOPE_LABELS: Record<string, string> = {
  openid: "Who you are",
  profile: "Your name, language and time zone",
  email: "Your email address",
  phone: "Your phone number",
  accounts: "Your accounts and groups",
  offline_access: "Stay signed in while you are away",
};

function describeScopes(scopes: readonly string[]): string[] {
  return scopes.map((scope) => SCOPE_LABELS[scope] ?? scope);
}

function AppItem({ app, onDisconnect }: { app: ConnectedAppDto; onDisconnect: (app: ConnectedAppDto) => void }) {
  const format = useFormatters();
  return (
    <article className="stack" aria-label={app.name}>
      <h3>{app.name}</h3>
      <p className="text-sm">Can see: {describeScopes(app.scopes).join(" · ")}</p>
      <p className="text-sm text-muted">
        First used <time dateTime={app.firstAuthorizedAt}>{format.dateTime(app.firstAuthorizedAt)}</time> · last used{" "}
        <time dateTime={app.lastUsedAt}>{format.relative(app.lastUsedAt)}</time>
      </p>
      <div>
        <Button size="sm" variant="secondary" onClick={() => onDisconnect(app)}>
          Disconnect<span className="sr-only"> {app.name}</span>
        </Button>
      </div>
    </article>
  );
}

/**
 * `/profile/apps`: the apps the person signed in to with Profile Center, what each can see, and
 * Disconnect (after a confirmation): its access is revoked and it is signed out.
 */
export function ConnectedAppsPage() {
  const apps = useConnectedApps();
  const disconnect = useDisconnectApp();
  const [pending, setPending] = useState<ConnectedAppDto>();
  const [notice, setNotice] = useState<string>();

  let body;
  if (apps.isPending) body = <SkeletonText lines={3} label="Loading…" />;
  else if (apps.isError) body = <ErrorState error={apps.error} onRetry={() => void apps.refetch()} />;
  else if (apps.data.items.length === 0)
    body = <EmptyState title="No connected apps" description="Apps you sign in to with Profile Center appear here." />;
  else body = apps.data.items.map((app) => <AppItem key={app.clientId} app={app} onDisconnect={setPending} />);

  return (
    <>
      <PageHeader
        title="Connected apps"
        description="The apps you signed in to with your Profile Center account, and what each of them can see."
      />
      {notice ? (
        <Alert tone="success" onDismiss={() => setNotice(undefined)}>
          {notice}
        </Alert>
      ) : null}
      <Card title="Apps">{body}</Card>
      <Dialog
        open={pending !== undefined}
        onClose={() => setPending(undefined)}
        title={pending ? `Disconnect ${pending.name}?` : "Disconnect"}
        footer={
          <>
            <Button variant="secondary" onClick={() => setPending(undefined)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              loading={disconnect.isPending}
              onClick={() => {
                if (!pending) return;
                const app = pending;
                disconnect.mutate(app.clientId, {
                  onSuccess: () => {
                    setPending(undefined);
                    setNotice(`${app.name} is disconnected and signed out.`);
                  },
                });
              }}
            >
              Disconnect
            </Button>
          </>
        }
      >
        <p>{pending?.name} loses access to your profile and is signed out everywhere. It can ask you to sign in again later.</p>
        {disconnect.isError ? <Alert tone="error">{getErrorMessage(disconnect.error)}</Alert> : null}
      </Dialog>
    </>
  );
}

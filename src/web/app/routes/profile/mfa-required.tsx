import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { buttonClassName } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { EmptyState, ErrorState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { SkeletonText } from "../../../components/ui/skeleton";
import { useMyAccounts } from "../../../features/accounts/api/get-my-accounts";
import { buildEnterAccountPath } from "../../../features/accounts/hooks/use-account-switch";
import { MfaSetupFlow } from "../../../features/security/components/mfa-setup-flow";
import { useMe } from "../../../lib/current-user";
import { usePageTitle } from "../../../lib/use-page-title";

const ACCOUNTS_PATH = "/profile/accounts";

/**
 * `/profile/mfa-required?account=<id>`: the step between choosing an account whose policy
 * requires MFA and entering it, for a person without MFA. It names the account, sets MFA up in
 * place (nothing else of the Security page around it) and then goes on into the account; "Not
 * now" goes back to the Accounts page.
 */
export function MfaRequiredRoute() {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const accountId = searchParams.get("account") ?? "";
  const me = useMe();
  const accounts = useMyAccounts();
  // Whether MFA was off on arrival: it turns on mid-way, and the recovery codes must stay on screen.
  const [arrivedWithoutMfa, setArrivedWithoutMfa] = useState<boolean>();
  if (arrivedWithoutMfa === undefined && me.data) setArrivedWithoutMfa(!me.data.mfaEnabled);
  const account = accounts.data?.items.find((candidate) => candidate.id === accountId);
  const title = account ? `${account.name} requires two-factor authentication` : "Two-factor authentication required";
  usePageTitle(title);
  const notNow = (
    <Link to={ACCOUNTS_PATH} className={buttonClassName({ variant: "secondary" })}>
      Not now
    </Link>
  );

  let body;
  if (me.isPending || accounts.isPending) body = <SkeletonText lines={3} label="Loading…" />;
  else if (me.isError || accounts.isError)
    body = <ErrorState error={me.error ?? accounts.error} onRetry={() => void Promise.all([me.refetch(), accounts.refetch()])} />;
  else if (!account)
    body = (
      <EmptyState
        title="We couldn't find that account"
        description="It is not among your accounts. Choose one on the Accounts page."
        action={notNow}
      />
    );
  else if (!arrivedWithoutMfa)
    body = (
      <EmptyState
        title="Two-factor authentication is on"
        description={`You can enter ${account.name} now.`}
        action={
          <Link to={buildEnterAccountPath(account.id)} className={buttonClassName({ variant: "primary" })}>
            Continue into {account.name}
          </Link>
        }
        icon="✓"
      />
    );
  else
    body = (
      <MfaSetupFlow
        email={me.data.email}
        finishLabel={`I saved my recovery codes, enter ${account.name}`}
        onCancel={() => void navigate(ACCOUNTS_PATH)}
        onFinished={() => void navigate(buildEnterAccountPath(account.id), { replace: true })}
      />
    );

  return (
    <>
      <PageHeader
        title={title}
        description="To enter it, set up an authenticator app on your phone: scan a QR code and type the code it shows. Then you're taken into the account."
        actions={notNow}
      />
      <Card title="Set up two-factor authentication">{body}</Card>
    </>
  );
}

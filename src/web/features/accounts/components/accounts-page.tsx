import { useCallback, useEffect, useRef, useState } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import { LoadMoreButton } from "../../../components/ui/load-more-button";
import { Card } from "../../../components/ui/card";
import { EmptyState, ErrorState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { SkeletonText } from "../../../components/ui/skeleton";
import { useDismissAccountNotice } from "../api/dismiss-account-notice";
import { useMyAccountsPages, type MyAccountsFilters } from "../api/get-my-accounts";
import { clearPendingSwitch, readPendingSwitch } from "../hooks/pending-switch";
import { useAccountSwitch, type AccountsLocationState } from "../hooks/use-account-switch";
import { AccountNoticeAlert, SwitchOutcomeAlert } from "./account-alerts";
import { AccountsTable } from "./accounts-table";
import { AccountsToolbar } from "./accounts-toolbar";
import "./accounts-page.css";

/**
 * The Accounts section: every account the person belongs to, their groups, the MFA policy and
 * whether they meet it, and switching the active account. `?enter=<id>` (the way back from MFA
 * setup) enters that account on arrival.
 */
export function AccountsPage() {
  const [filters, setFilters] = useState<MyAccountsFilters>({ q: "", type: "" });
  const accounts = useMyAccountsPages(filters);
  const { switchTo, pendingAccountId } = useAccountSwitch();
  const dismissNotice = useDismissAccountNotice();
  const location = useLocation();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const outcome = (location.state as AccountsLocationState | null)?.outcome;
  const filtered = filters.q !== "" || filters.type !== "";
  const entering = useRef(false);

  // Arriving from MFA setup (or with a switch still pending): try to enter that account now.
  // Only on arrival: a failed switch made here must not trigger it again.
  useEffect(() => {
    if (entering.current) return;
    entering.current = true;
    const target = searchParams.get("enter") ?? readPendingSwitch();
    if (target) switchTo({ id: target }, { leadIntoSetup: false });
  }, [searchParams, switchTo]);

  const handleFilters = useCallback((next: MyAccountsFilters) => setFilters(next), []);
  const clearOutcome = () => {
    clearPendingSwitch();
    void navigate("/profile/accounts", { replace: true, state: {} });
  };

  const items = accounts.data?.pages.flatMap((page) => page.items) ?? [];
  const notice = accounts.data?.pages[0]?.notice ?? null;
  // Router state survives a reload: an "entered" message shows only while that account is still active.
  const isStale =
    outcome?.kind === "entered" &&
    accounts.isSuccess &&
    !accounts.isPlaceholderData &&
    !filtered &&
    !items.some((a) => a.id === outcome.accountId && a.active);

  return (
    <>
      <PageHeader
        title="Accounts"
        description="The Vendor, Distributor and Reseller accounts you belong to, your groups in each, and what each requires to sign in."
      />
      <div className="accounts-alerts">
        {outcome && !isStale ? <SwitchOutcomeAlert outcome={outcome} onDismiss={clearOutcome} /> : null}
        {notice ? <AccountNoticeAlert notice={notice} onDismiss={() => dismissNotice.mutate()} /> : null}
      </div>
      <Card title="Your accounts" headerAction={<AccountsToolbar onChange={handleFilters} />}>
        {accounts.isPending ? (
          <SkeletonText lines={4} label="Loading your accounts…" />
        ) : accounts.isError ? (
          <ErrorState error={accounts.error} onRetry={() => void accounts.refetch()} />
        ) : (
          <div className="accounts-list" aria-busy={accounts.isPlaceholderData || undefined}>
            <AccountsTable
              accounts={items}
              onSwitch={(account) => switchTo(account)}
              switchingId={pendingAccountId}
              empty={
                filtered ? (
                  <EmptyState title="No accounts match" description="Try another name or account ID, or show all types." />
                ) : (
                  <EmptyState
                    title="You are not a member of any account yet"
                    description="Accounts are joined by invitation: an administrator of a Vendor, Distributor or Reseller account invites you by email. Once you accept, the account appears here."
                  />
                )
              }
            />
            <LoadMoreButton query={accounts} label="Show more accounts" />
          </div>
        )}
      </Card>
    </>
  );
}

import { Outlet } from "react-router";
import { AppShell } from "../../../components/layouts/app-shell";
import { ProfileLayout } from "../../../components/layouts/profile-layout";
import { ErrorState } from "../../../components/ui/empty-state";
import { LoadingState } from "../../../components/ui/spinner";
import { AccountSwitcher } from "../../../features/accounts/components/account-switcher";
import { RecoveryCodesNotice } from "../../../features/auth/components/recovery-codes-notice";
import { UserMenu } from "../../../features/auth/components/user-menu";
import { isApiError } from "../../../lib/api-error";
import { getDisplayName, useMe } from "../../../lib/current-user";
import { FormattersProvider } from "../../../lib/formatters-context";

/**
 * Every `/profile/*` page: loads the signed-in person (`GET /api/v1/me`; a 401 sends the
 * browser to `/login?next=…`), then the top bar, the section navigation and the page.
 */
export function SignedInLayout() {
  const me = useMe();

  if (me.isPending || isApiError(me.error, "unauthenticated")) {
    return (
      <main id="main-content" tabIndex={-1}>
        <h1 className="sr-only">Profile Center</h1>
        <LoadingState label={me.isPending ? "Loading your profile…" : "Taking you to sign in…"} />
      </main>
    );
  }
  if (me.isError) {
    return (
      <main id="main-content" tabIndex={-1}>
        <h1 className="sr-only">Profile Center</h1>
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </main>
    );
  }

  return (
    <FormattersProvider>
      <AppShell
        accountSwitcher={<AccountSwitcher />}
        userMenu={<UserMenu displayName={getDisplayName(me.data)} email={me.data.email} />}
      >
        <ProfileLayout>
          <RecoveryCodesNotice />
          <Outlet />
        </ProfileLayout>
      </AppShell>
    </FormattersProvider>
  );
}

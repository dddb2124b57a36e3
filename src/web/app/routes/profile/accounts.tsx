import { AccountsPage } from "../../../features/accounts/components/accounts-page";
import { usePageTitle } from "../../../lib/use-page-title";

/** `/profile/accounts`. */
export function AccountsRoute() {
  usePageTitle("Accounts");
  return <AccountsPage />;
}

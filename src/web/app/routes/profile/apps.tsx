import { ConnectedAppsPage } from "../../../features/sso/components/connected-apps-page";
import { usePageTitle } from "../../../lib/use-page-title";

/** `/profile/apps`. */
export function AppsRoute() {
  usePageTitle("Connected apps");
  return <ConnectedAppsPage />;
}

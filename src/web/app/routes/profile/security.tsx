import { SecurityPage } from "../../../features/security/components/security-page";
import { usePageTitle } from "../../../lib/use-page-title";

/** `/profile/security`. */
export function SecurityRoute() {
  usePageTitle("Security");
  return <SecurityPage />;
}

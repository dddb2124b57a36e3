import { SessionsPage } from "../../../features/sessions/components/sessions-page";
import { usePageTitle } from "../../../lib/use-page-title";

/** `/profile/sessions`. */
export function SessionsRoute() {
  usePageTitle("Sessions");
  return <SessionsPage />;
}

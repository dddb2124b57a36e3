import { ActivityPage } from "../../../features/sessions/components/activity-page";
import { usePageTitle } from "../../../lib/use-page-title";

/** `/profile/activity`. */
export function ActivityRoute() {
  usePageTitle("Activity");
  return <ActivityPage />;
}

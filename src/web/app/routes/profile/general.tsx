import { Suspense, lazy } from "react";
import { PageHeader } from "../../../components/ui/page-header";
import { LoadingState } from "../../../components/ui/spinner";
import { usePageTitle } from "../../../lib/use-page-title";

// Split off: the time-zone database and the contract schemas are only needed here.
const GeneralPage = lazy(() =>
  import("../../../features/general/components/general-page").then((module) => ({ default: module.GeneralPage })),
);

/** `/profile/general`. */
export function GeneralRoute() {
  usePageTitle("General");
  return (
    <Suspense
      fallback={
        <>
          <PageHeader title="General" />
          <LoadingState label="Loading your profile…" />
        </>
      }
    >
      <GeneralPage />
    </Suspense>
  );
}

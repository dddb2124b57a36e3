import { useRouteError } from "react-router";
import { ErrorState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { usePageTitle } from "../../../lib/use-page-title";

/**
 * Shown in place of a profile section that failed to render (or whose code failed to load,
 * e.g. after a new release replaced the chunk): the top bar and section navigation stay.
 * The error's own text is never shown (getErrorMessage gives a generic one).
 */
export function SectionErrorPage() {
  const error = useRouteError();
  usePageTitle("Something went wrong");
  console.error("Section error", error);
  return (
    <>
      <PageHeader title="Something went wrong" />
      <ErrorState title="This section could not be shown" error={error} onRetry={() => window.location.reload()} />
    </>
  );
}

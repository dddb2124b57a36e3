import { useRouteError } from "react-router";
import { ErrorState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { isConnectionError } from "../../../lib/error-messages";
import { usePageTitle } from "../../../lib/use-page-title";

/**
 * Shown in place of a profile section that failed to render (or whose code failed to load,
 * e.g. after a new release replaced the chunk): the top bar and section navigation stay.
 * The error's own text is never shown (getErrorMessage gives a generic one); a server that could
 * not be reached is said to be so, not blamed on "our side".
 */
export function SectionErrorPage() {
  const error = useRouteError();
  const unreachable = isConnectionError(error);
  const title = unreachable ? "We couldn't reach the server" : "Something went wrong";
  usePageTitle(title);
  if (!unreachable) console.error("Section error", error);
  return (
    <>
      <PageHeader title={title} />
      <ErrorState title="This section could not be shown" error={error} onRetry={() => window.location.reload()} />
    </>
  );
}

import { Link, isRouteErrorResponse, useRouteError } from "react-router";
import { AuthLayout } from "../../components/layouts/auth-layout";
import { usePageTitle } from "../../lib/use-page-title";

/** Shown when a route throws while rendering; never shows the error's own text. */
export function RouteErrorPage() {
  const error = useRouteError();
  const isNotFound = isRouteErrorResponse(error) && error.status === 404;
  usePageTitle(isNotFound ? "Page not found" : "Something went wrong");
  if (!isNotFound) console.error("Route error", error);
  return (
    <AuthLayout
      title={isNotFound ? "Page not found" : "Something went wrong"}
      description={
        isNotFound
          ? "The page you asked for does not exist."
          : "This page could not be shown. Please reload it; if it keeps happening, try again later."
      }
    >
      <Link to="/profile/general">Go to your profile</Link>
    </AuthLayout>
  );
}

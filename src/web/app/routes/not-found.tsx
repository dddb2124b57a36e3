import { Link } from "react-router";
import { AuthLayout } from "../../components/layouts/auth-layout";
import { buttonClassName } from "../../components/ui/button";
import { usePageTitle } from "../../lib/use-page-title";

/** Any path the app does not know. */
export function NotFoundRoute() {
  usePageTitle("Page not found");
  return (
    <AuthLayout title="Page not found" description="We couldn't find that page. Check the address, or go back to your profile.">
      <Link to="/profile/general" className={buttonClassName({ variant: "primary", fullWidth: true })}>
        Go to your profile
      </Link>
    </AuthLayout>
  );
}

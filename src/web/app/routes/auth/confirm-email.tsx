import { Link, useSearchParams } from "react-router";
import { AuthLayout } from "../../../components/layouts/auth-layout";
import { Alert } from "../../../components/ui/alert";
import { ConfirmEmailStatus } from "../../../features/auth/components/confirm-email-status";
import { usePageTitle } from "../../../lib/use-page-title";

/** `/confirm-email?token=…`: confirms a new email address from the emailed link. */
export function ConfirmEmailRoute() {
  usePageTitle("Confirm your email address");
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token");
  return (
    <AuthLayout title="Confirm your email address">
      {token ? (
        <ConfirmEmailStatus token={token} />
      ) : (
        <Alert tone="error" title="This link is incomplete">
          Open the link from the email again, or start the change again from <Link to="/profile/general">your profile</Link>.
        </Alert>
      )}
    </AuthLayout>
  );
}

import { Link, useSearchParams } from "react-router";
import { AuthLayout } from "../../../components/layouts/auth-layout";
import { Alert } from "../../../components/ui/alert";
import { ResetPasswordForm } from "../../../features/auth/components/reset-password-form";
import { usePageTitle } from "../../../lib/use-page-title";

/** `/reset-password?token=…`: choose a new password from an emailed link. */
export function ResetPasswordRoute() {
  usePageTitle("Choose a new password");
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token");
  return (
    <AuthLayout title="Choose a new password" footer={<Link to="/login">Back to sign in</Link>}>
      {token ? (
        <ResetPasswordForm token={token} />
      ) : (
        <Alert tone="error" title="This link is incomplete">
          Open the link from the email again, or <Link to="/forgot-password">ask for a new one</Link>.
        </Alert>
      )}
    </AuthLayout>
  );
}

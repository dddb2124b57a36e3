import { Link, useSearchParams } from "react-router";
import { AuthLayout } from "../../../components/layouts/auth-layout";
import { Alert } from "../../../components/ui/alert";
import { LockdownPanel } from "../../../features/lockdown/components/lockdown-panel";
import { usePageTitle } from "../../../lib/use-page-title";

/** `/lockdown?token=…`: the "This wasn't me — secure my account" link of security alert mails. */
export function LockdownRoute() {
  usePageTitle("Secure your account");
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token");
  return (
    <AuthLayout title="This wasn't me: secure my account" footer={<Link to="/login">Back to sign in</Link>}>
      {token ? (
        <LockdownPanel token={token} />
      ) : (
        <Alert tone="error" title="This link is incomplete">
          Open the link from the email again, or <Link to="/forgot-password">reset your password</Link>.
        </Alert>
      )}
    </AuthLayout>
  );
}

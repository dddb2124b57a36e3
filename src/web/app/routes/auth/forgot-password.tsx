import { Link } from "react-router";
import { AuthLayout } from "../../../components/layouts/auth-layout";
import { ForgotPasswordForm } from "../../../features/auth/components/forgot-password-form";
import { usePageTitle } from "../../../lib/use-page-title";

/** `/forgot-password`: ask for a reset link. */
export function ForgotPasswordRoute() {
  usePageTitle("Reset your password");
  return (
    <AuthLayout
      title="Reset your password"
      description="Enter the email address you sign in with. We'll send you a link to choose a new password."
      footer={<Link to="/login">Back to sign in</Link>}
    >
      <ForgotPasswordForm />
    </AuthLayout>
  );
}

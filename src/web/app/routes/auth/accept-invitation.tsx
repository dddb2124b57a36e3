import { Link, useNavigate, useSearchParams } from "react-router";
import { AuthLayout } from "../../../components/layouts/auth-layout";
import { Alert } from "../../../components/ui/alert";
import { AcceptInvitationForm } from "../../../features/auth/components/accept-invitation-form";
import { usePageTitle } from "../../../lib/use-page-title";

/** `/invitations/accept?token=…`: join with a name and password, then land on Accounts. */
export function AcceptInvitationRoute() {
  usePageTitle("Accept your invitation");
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token");
  return (
    <AuthLayout
      title="Accept your invitation"
      description="You've been invited to join an account. Tell us your name and choose a password to get started."
      footer={<Link to="/login">Already have an account? Sign in</Link>}
    >
      {token ? (
        <AcceptInvitationForm token={token} onAccepted={() => void navigate("/profile/accounts", { replace: true })} />
      ) : (
        <Alert tone="error" title="This invitation link is incomplete">
          Open the link from the invitation email again.
        </Alert>
      )}
    </AuthLayout>
  );
}

import { Link, useNavigate, useSearchParams } from "react-router";
import type { InvitationPreviewDto } from "@contracts/accounts";
import { AuthLayout } from "../../../components/layouts/auth-layout";
import { Alert } from "../../../components/ui/alert";
import { LoadingState } from "../../../components/ui/spinner";
import type { AccountsLocationState } from "../../../features/accounts/hooks/use-account-switch";
import { TYPE_LABELS } from "../../../features/accounts/components/account-labels";
import { useInvitationPreview } from "../../../features/auth/api/get-invitation-preview";
import { AcceptInvitationForm, InvitationUnusable } from "../../../features/auth/components/accept-invitation-form";
import { isApiError } from "../../../lib/api-error";
import { usePageTitle } from "../../../lib/use-page-title";

/** "Ada Lovelace invited you to join Meridian Distribution (Distributor) as ada@…, in Users and Finance." */
function describeInvitation(preview: InvitationPreviewDto) {
  const groups =
    preview.groups.length > 0 ? `, in the group${preview.groups.length === 1 ? "" : "s"} ${preview.groups.join(", ")}` : "";
  return (
    <>
      {preview.invitedBy ? `${preview.invitedBy} invited you` : "You're invited"} to join <strong>{preview.accountName}</strong> (
      {TYPE_LABELS[preview.accountType]}) as <strong>{preview.email}</strong>
      {groups}. Tell us your name and choose a password to get started.
    </>
  );
}

/**
 * `/invitations/accept?token=…`: says what the invitation offers (or that it can no longer be
 * used) before anything is typed; joining with a name and password then welcomes the person on
 * the Accounts page.
 */
export function AcceptInvitationRoute() {
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token") ?? "";
  const preview = useInvitationPreview(token);
  const title = preview.data ? `Join ${preview.data.accountName}` : "Accept your invitation";
  usePageTitle(title);

  function handleAccepted() {
    const name = preview.data?.accountName;
    const state: AccountsLocationState | undefined =
      name && preview.data ? { outcome: { kind: "welcome", accountId: preview.data.accountId, name } } : undefined;
    void navigate("/profile/accounts", { replace: true, state });
  }

  let body;
  if (!token)
    body = (
      <Alert tone="error" title="This invitation link is incomplete">
        Open the link from the invitation email again.
      </Alert>
    );
  else if (preview.isPending) body = <LoadingState label="Opening your invitation…" />;
  else if (isApiError(preview.error, "invalid_token")) body = <InvitationUnusable />;
  // Any other failure (the server is busy): the form still works, without the details.
  else body = <AcceptInvitationForm token={token} email={preview.data?.email} onAccepted={handleAccepted} />;

  return (
    <AuthLayout
      title={title}
      description={
        preview.data
          ? describeInvitation(preview.data)
          : "Tell us your name and choose a password to join the account you were invited to."
      }
      footer={<Link to="/login">Already have an account? Sign in</Link>}
    >
      {body}
    </AuthLayout>
  );
}

import { useNavigate, useSearchParams } from "react-router";
import { GoTo, goTo } from "../../../components/go-to";
import { AuthLayout } from "../../../components/layouts/auth-layout";
import { useSignedInUser } from "../../../features/auth/api/get-signed-in-user";
import { LoginForm } from "../../../features/auth/components/login-form";
import { SessionEndedNotice } from "../../../features/auth/components/session-ended-notice";
import { DEFAULT_AFTER_LOGIN, getSafeNextPath } from "../../../lib/safe-next-path";
import { usePageTitle } from "../../../lib/use-page-title";

/**
 * `/login`: the password step; then the code step, or back to `?next=` (same-origin only).
 * A visitor who is already signed in goes straight on to `next` (or their profile). The form
 * shows at once meanwhile: most visitors of this page are signed out.
 */
export function LoginRoute() {
  usePageTitle("Sign in");
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = getSafeNextPath(searchParams.get("next"));
  const signedIn = useSignedInUser();

  if (signedIn.isSuccess) return <GoTo to={next ?? DEFAULT_AFTER_LOGIN} />;

  return (
    <AuthLayout title="Sign in" description="Sign in to manage your profile, security and sessions.">
      <SessionEndedNotice reason={searchParams.get("ended")} />
      <LoginForm
        onAuthenticated={() => goTo(next ?? DEFAULT_AFTER_LOGIN, navigate)}
        onMfaRequired={(methods) =>
          void navigate(next ? `/login/mfa?next=${encodeURIComponent(next)}` : "/login/mfa", {
            replace: true,
            state: { methods },
          })
        }
      />
    </AuthLayout>
  );
}

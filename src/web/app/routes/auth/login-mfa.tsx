import { Link, useNavigate, useSearchParams } from "react-router";
import { AuthLayout } from "../../../components/layouts/auth-layout";
import { MfaCodeForm } from "../../../features/auth/components/mfa-code-form";
import { getRecoveryCodesNoticeState } from "../../../features/auth/components/recovery-codes-notice";
import { DEFAULT_AFTER_LOGIN, buildLoginPath, getSafeNextPath, isServerPath } from "../../../lib/safe-next-path";
import { usePageTitle } from "../../../lib/use-page-title";

/** `/login/mfa`: the authenticator (or recovery) code step of sign-in. */
export function LoginMfaRoute() {
  usePageTitle("Two-factor authentication");
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = getSafeNextPath(searchParams.get("next"));
  const loginPath = buildLoginPath(next);

  return (
    <AuthLayout
      title="Two-factor authentication"
      description="Your account is protected with an authenticator app."
      footer={<Link to={loginPath}>Sign in as someone else</Link>}
    >
      <MfaCodeForm
        loginPath={loginPath}
        onAuthenticated={(response) =>
          // A single sign-on request goes back to the server; after a recovery code, the next
          // page of this app says how many are left (RecoveryCodesNotice).
          isServerPath(next)
            ? window.location.assign(next)
            : void navigate(next ?? DEFAULT_AFTER_LOGIN, { replace: true, state: getRecoveryCodesNoticeState(response) })
        }
      />
    </AuthLayout>
  );
}

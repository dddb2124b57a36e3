import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { SECOND_STEP_METHODS, type SecondStepMethod } from "@contracts/auth";
import { AuthLayout } from "../../../components/layouts/auth-layout";
import { MfaCodeForm } from "../../../features/auth/components/mfa-code-form";
import { PasskeySignInButton } from "../../../features/auth/components/passkey-sign-in-button";
import { getRecoveryCodesNoticeState } from "../../../features/auth/components/recovery-codes-notice";
import type { AuthenticatedResponse } from "../../../features/auth/api/login-mfa";
import { Alert } from "../../../components/ui/alert";
import { passkeysSupported } from "../../../lib/passkeys";
import { DEFAULT_AFTER_LOGIN, buildLoginPath, getSafeNextPath, isServerPath } from "../../../lib/safe-next-path";
import { usePageTitle } from "../../../lib/use-page-title";

/** The second steps the password step offered (kept in the history entry); codes when unknown. */
function offeredMethods(state: unknown): SecondStepMethod[] {
  const methods = (state as { methods?: unknown } | null)?.methods;
  if (!Array.isArray(methods)) return ["totp", "recovery_code"];
  const known = methods.filter((m): m is SecondStepMethod => (SECOND_STEP_METHODS as readonly unknown[]).includes(m));
  return known.length > 0 ? known : ["totp", "recovery_code"];
}

/** `/login/mfa`: the second step of sign-in: a code from the authenticator app (or a recovery code), or a passkey. */
export function LoginMfaRoute() {
  usePageTitle("Two-factor authentication");
  const navigate = useNavigate();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const next = getSafeNextPath(searchParams.get("next"));
  const loginPath = buildLoginPath(next);
  const methods = offeredMethods(location.state);
  const codes = methods.includes("totp") || methods.includes("recovery_code");
  const passkey = methods.includes("passkey");

  function finish(response: AuthenticatedResponse) {
    // A single sign-on request goes back to the server; after a recovery code, the next page of
    // this app says how many are left (RecoveryCodesNotice).
    if (isServerPath(next)) window.location.assign(next);
    else void navigate(next ?? DEFAULT_AFTER_LOGIN, { replace: true, state: getRecoveryCodesNoticeState(response) });
  }

  return (
    <AuthLayout
      title="Two-factor authentication"
      description={
        codes && passkey
          ? "Your account is protected with an authenticator app and a passkey: use either."
          : passkey
            ? "Your account is protected with a passkey. Use it to finish signing in."
            : "Your account is protected with an authenticator app."
      }
      footer={<Link to={loginPath}>Sign in as someone else</Link>}
    >
      <div className="stack">
        {passkey && !codes && !passkeysSupported() ? (
          <Alert tone="error" title="This browser can't use passkeys here">
            Sign in on a device or browser that has your passkey. Lost it? Your administrator can reset your two-factor
            authentication.
          </Alert>
        ) : null}
        {passkey ? (
          <PasskeySignInButton label="Use a passkey" variant={codes ? "secondary" : "primary"} onAuthenticated={finish} />
        ) : null}
        {codes ? <MfaCodeForm loginPath={loginPath} onAuthenticated={finish} /> : null}
      </div>
    </AuthLayout>
  );
}

import { useState } from "react";
import { useSearchParams } from "react-router";
import { GoTo } from "../../../components/go-to";
import { AuthLayout } from "../../../components/layouts/auth-layout";
import { Alert } from "../../../components/ui/alert";
import { SkeletonText } from "../../../components/ui/skeleton";
import { MfaSetupFlow } from "../../../features/security/components/mfa-setup-flow";
import { cancelSignIn } from "../../../features/sso/api/sso";
import { interactionFrom } from "../../../features/sso/components/sso-continue";
import { useMe } from "../../../lib/current-user";
import { getErrorMessage } from "../../../lib/error-messages";
import { buildLoginPath, DEFAULT_AFTER_LOGIN } from "../../../lib/safe-next-path";
import { usePageTitle } from "../../../lib/use-page-title";

/**
 * `/sso/mfa-setup?next=/oidc/interaction/<uid>`: just-in-time set-up of two-factor
 * authentication, for a person without it whom an app (or the account it opens) requires it of;
 * then on to the app.
 */
export function SsoMfaSetupRoute() {
  usePageTitle("Set up two-factor authentication");
  const [searchParams] = useSearchParams();
  const interaction = interactionFrom(searchParams);
  const me = useMe();
  const [error, setError] = useState<string>();
  if (!interaction) return <GoTo to={DEFAULT_AFTER_LOGIN} />;
  if (me.isError) return <GoTo to={buildLoginPath(interaction)} />;
  const cancel = () =>
    void cancelSignIn(interaction).then(
      (to) => window.location.assign(to),
      (failure: unknown) => setError(getErrorMessage(failure)),
    );
  return (
    <AuthLayout
      title="Set up two-factor authentication"
      description="The app you are signing in to requires a second factor. Set up an authenticator app on your phone: scan the QR code and type the code it shows. Then you go on to the app."
    >
      {error ? <Alert tone="error">{error}</Alert> : null}
      {me.data ? (
        <MfaSetupFlow
          email={me.data.email}
          finishLabel="I saved my recovery codes, continue"
          onCancel={cancel}
          onFinished={() => window.location.assign(interaction)}
        />
      ) : (
        <SkeletonText lines={3} label="Loading…" />
      )}
    </AuthLayout>
  );
}

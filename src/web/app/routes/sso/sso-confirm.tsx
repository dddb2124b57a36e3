import { useSearchParams } from "react-router";
import { GoTo } from "../../../components/go-to";
import { AuthLayout } from "../../../components/layouts/auth-layout";
import { SkeletonText } from "../../../components/ui/skeleton";
import { SsoConfirmForm } from "../../../features/sso/components/sso-confirm-form";
import { interactionFrom } from "../../../features/sso/components/sso-continue";
import { useMe } from "../../../lib/current-user";
import { buildLoginPath, DEFAULT_AFTER_LOGIN } from "../../../lib/safe-next-path";
import { usePageTitle } from "../../../lib/use-page-title";

/** `/sso/confirm?mode=password|code&next=/oidc/interaction/<uid>`: a step an app's sign-in asked for. */
export function SsoConfirmRoute() {
  const [searchParams] = useSearchParams();
  const interaction = interactionFrom(searchParams);
  const mode = searchParams.get("mode") === "code" ? "code" : "password";
  const title = mode === "code" ? "Two-factor authentication" : "Confirm it's you";
  usePageTitle(title);
  const me = useMe();
  if (!interaction) return <GoTo to={DEFAULT_AFTER_LOGIN} />;
  if (me.isError) return <GoTo to={buildLoginPath(interaction)} />;
  return (
    <AuthLayout
      title={title}
      description={
        mode === "code"
          ? "The app you are signing in to asks for a second factor: enter a code from your authenticator app."
          : "The app you are signing in to asks you to sign in again."
      }
    >
      {me.data ? (
        <SsoConfirmForm mode={mode} mfaEnabled={me.data.mfaEnabled} interaction={interaction} />
      ) : (
        <SkeletonText lines={3} label="Loading…" />
      )}
    </AuthLayout>
  );
}

import { LIMITS } from "@contracts/limits";
import { Card } from "../../../components/ui/card";
import { ErrorState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { SkeletonText } from "../../../components/ui/skeleton";
import { useMe } from "../../../lib/current-user";
import { CheckupCard } from "./checkup-card";
import { DeleteAccountCard } from "./delete-account-card";
import { useMfaStatus } from "../api/mfa";
import { MfaCard } from "./mfa-card";
import { PasskeysCard } from "./passkeys-card";
import { PasswordCard } from "./password-card";
import "./security.css";

/** The Security section: the checkup, password, two-factor authentication, and deleting the account. */
export function SecurityPage() {
  const me = useMe();
  // A code is asked for only where an authenticator app is on (a passkey cannot be typed).
  const totpEnabled = useMfaStatus().data?.totp.enabled ?? me.data?.mfaEnabled ?? false;
  return (
    <>
      <PageHeader
        title="Security"
        description="Change your password, set up two-factor authentication and passkeys, or delete your account."
      />
      {me.isPending ? (
        <div className="stack-lg" aria-busy="true">
          <Card title="Password">
            <SkeletonText lines={2} label="Loading password settings…" />
          </Card>
        </div>
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : (
        <div className="stack-lg">
          <CheckupCard />
          <PasswordCard user={me.data} minLength={LIMITS.passwordMinLength} />
          <MfaCard email={me.data.email} />
          <PasskeysCard />
          <DeleteAccountCard email={me.data.email} mfaEnabled={totpEnabled} />
        </div>
      )}
    </>
  );
}

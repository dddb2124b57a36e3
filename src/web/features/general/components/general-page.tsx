import { Card } from "../../../components/ui/card";
import { ErrorState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { SkeletonText } from "../../../components/ui/skeleton";
import { useMe } from "../../../lib/current-user";
import { EnvironmentCard } from "./environment-card";
import { NotificationsCard } from "./notifications-card";
import { PersonalInfoCard } from "./personal-info-card";

/** The General section: personal information, environment settings and notifications. */
export function GeneralPage() {
  const me = useMe();
  return (
    <>
      <PageHeader title="General" description="Your personal information, time zone and formats, and email notifications." />
      {me.isPending ? (
        <Card title="Personal information">
          <SkeletonText lines={4} label="Loading your profile…" />
        </Card>
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : (
        <div className="stack-lg">
          <PersonalInfoCard key={`${me.data.id}-info`} user={me.data} />
          <EnvironmentCard key={`${me.data.id}-env`} user={me.data} />
          <NotificationsCard user={me.data} />
        </div>
      )}
    </>
  );
}

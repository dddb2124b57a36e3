import { useCallback, useState } from "react";
import { Card } from "../../../components/ui/card";
import { LeaveGuardDialog, useLeaveGuard } from "../../../components/ui/leave-guard";
import { ErrorState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { SkeletonText } from "../../../components/ui/skeleton";
import { useMe } from "../../../lib/current-user";
import { EnvironmentCard } from "./environment-card";
import { NotificationsCard } from "./notifications-card";
import { PersonalInfoCard } from "./personal-info-card";
import { YourDataCard } from "./your-data-card";

/**
 * Which cards hold edits not saved yet; while any does, leaving the page asks first. Each card
 * reports through the callback (a router allows one blocker at a time, so the page holds it).
 */
function useUnsavedCards() {
  const [unsaved, setUnsaved] = useState<ReadonlySet<string>>(new Set());
  const report = useCallback((card: string, isDirty: boolean) => {
    setUnsaved((current) => {
      if (current.has(card) === isDirty) return current;
      const next = new Set(current);
      if (isDirty) next.add(card);
      else next.delete(card);
      return next;
    });
  }, []);
  return { hasUnsaved: unsaved.size > 0, report };
}

/** The General section: personal information, environment settings, notifications and your data. */
export function GeneralPage() {
  const me = useMe();
  const { hasUnsaved, report } = useUnsavedCards();
  const guard = useLeaveGuard(hasUnsaved);
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
          <PersonalInfoCard key={`${me.data.id}-info`} user={me.data} onDirtyChange={(dirty) => report("info", dirty)} />
          <EnvironmentCard key={`${me.data.id}-env`} user={me.data} onDirtyChange={(dirty) => report("env", dirty)} />
          <NotificationsCard user={me.data} />
          <YourDataCard />
        </div>
      )}
      <LeaveGuardDialog
        guard={guard}
        title="Leave without saving?"
        description="You changed something on this page and did not save it. Leaving loses the change."
        stayLabel="Stay on this page"
        leaveLabel="Leave without saving"
      />
    </>
  );
}

import type { UserDto } from "@contracts/me";
import { Alert } from "../../../components/ui/alert";
import { Card } from "../../../components/ui/card";
import { Switch } from "../../../components/ui/switch";
import { getErrorMessage } from "../../../lib/error-messages";
import { useFormatters } from "../../../lib/formatters-context";
import { useUpdateMe } from "../api/update-me";

/** Notifications: opt in or out of product news emails; the server records when. */
export function NotificationsCard({ user }: { user: UserDto }) {
  const updateMe = useUpdateMe();
  const formatters = useFormatters();
  const checked =
    updateMe.isPending && updateMe.variables.newsOptIn !== undefined ? updateMe.variables.newsOptIn : user.newsOptIn;
  return (
    <Card title="Notifications" description="Security alerts about your profile are always sent.">
      <div className="stack">
        {updateMe.isError ? <Alert tone="error">{getErrorMessage(updateMe.error)}</Alert> : null}
        {updateMe.isSuccess ? (
          <Alert tone="success">
            {updateMe.data.newsOptIn
              ? "Saved: you will receive product news."
              : "Saved: you will no longer receive product news."}
          </Alert>
        ) : null}
        <Switch
          label="Product news and announcements"
          description="Occasional emails about new features and changes to the service."
          checked={checked}
          busy={updateMe.isPending}
          disabled={updateMe.isPending}
          onCheckedChange={(value) => updateMe.mutate({ newsOptIn: value })}
        />
      </div>
      <p className="consent-note">
        {user.newsOptInChangedAt ? (
          <>
            {user.newsOptIn ? "You opted in" : "You opted out"} on{" "}
            <time dateTime={user.newsOptInChangedAt}>{formatters.dateTime(user.newsOptInChangedAt)}</time>.
          </>
        ) : (
          "You have not opted in, so we send you no news."
        )}
      </p>
    </Card>
  );
}

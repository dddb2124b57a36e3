import { useState } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { useDeletionCheck } from "../api/delete-account";
import { DeleteAccountDialog, SoleAdminAccounts } from "./delete-account-dialog";

/** Props of {@link DeleteAccountCard}. */
export interface DeleteAccountCardProps {
  email: string;
  mfaEnabled: boolean;
}

/**
 * The danger zone: what deleting erases and what it keeps, said before anything is typed. While
 * the person is the only administrator of an account, the deletion is not offered: the accounts
 * are named instead (the server would refuse it after every credential was typed).
 */
export function DeleteAccountCard({ email, mfaEnabled }: DeleteAccountCardProps) {
  const [open, setOpen] = useState(false);
  const check = useDeletionCheck();
  const blockedBy = check.data?.soleAdminOf ?? [];
  return (
    <Card
      className="danger-zone"
      title="Delete my account"
      description="Permanently delete your login. This cannot be undone."
      footer={
        blockedBy.length === 0 ? (
          <Button variant="danger" loading={check.isPending} onClick={() => setOpen(true)}>
            Delete my account…
          </Button>
        ) : undefined
      }
    >
      {blockedBy.length > 0 ? (
        <Alert tone="warning" title="You can't delete your account yet">
          <SoleAdminAccounts accounts={blockedBy} />
        </Alert>
      ) : null}
      <div className="danger-zone__lists">
        <div>
          <h3 className="danger-zone__heading">Erased at once</h3>
          <ul>
            <li>Your profile: name, email address, phone, job title and settings</li>
            <li>Your password, authenticator app and recovery codes</li>
            <li>Your memberships in every account (you leave them all)</li>
            <li>All your sessions: you are signed out everywhere</li>
          </ul>
        </div>
        <div>
          <h3 className="danger-zone__heading">Kept</h3>
          <ul>
            <li>The accounts themselves and their other members</li>
            <li>The security log of past sign-ins and changes, under a pseudonymous ID that no longer names you</li>
          </ul>
        </div>
      </div>
      <p className="text-muted">
        If you are the only administrator of an account, make someone else an administrator there first. A confirmation is sent to
        your email address.
      </p>
      <DeleteAccountDialog open={open} email={email} mfaEnabled={mfaEnabled} onClose={() => setOpen(false)} />
    </Card>
  );
}

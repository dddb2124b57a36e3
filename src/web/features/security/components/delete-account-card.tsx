import { useState } from "react";
import { Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { DeleteAccountDialog } from "./delete-account-dialog";

/** Props of {@link DeleteAccountCard}. */
export interface DeleteAccountCardProps {
  email: string;
  mfaEnabled: boolean;
}

/** The danger zone: what deleting erases and what it keeps, said before anything is typed. */
export function DeleteAccountCard({ email, mfaEnabled }: DeleteAccountCardProps) {
  const [open, setOpen] = useState(false);
  return (
    <Card
      className="danger-zone"
      title="Delete my account"
      description="Permanently delete your login. This cannot be undone."
      footer={
        <Button variant="danger" onClick={() => setOpen(true)}>
          Delete my account…
        </Button>
      }
    >
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

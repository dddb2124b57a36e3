import { useState } from "react";
import type { UserDto } from "@contracts/me";
import { Badge } from "../../../components/ui/badge";
import { Button } from "../../../components/ui/button";
import { ChangeEmailDialog } from "./change-email-dialog";
import "./general.css";

/** The read-only email with its pending change (if any) and the "Change email" action. */
export function EmailRow({ user }: { user: UserDto }) {
  const [isDialogOpen, setIsDialogOpen] = useState(false);
  return (
    <div className="email-row">
      <div className="email-row__text">
        <span className="email-row__label">Email</span>
        <span className="email-row__value">{user.email}</span>
        {user.pendingEmail ? (
          <span className="email-row__pending">
            <Badge tone="warning">Pending</Badge> Confirm <strong>{user.pendingEmail}</strong> from the link we sent to it.
          </span>
        ) : null}
      </div>
      <Button size="sm" onClick={() => setIsDialogOpen(true)}>
        Change email
      </Button>
      <ChangeEmailDialog open={isDialogOpen} currentEmail={user.email} onClose={() => setIsDialogOpen(false)} />
    </div>
  );
}

import { useState } from "react";
import { ConfirmWithCredentialsDialog } from "../../../components/reauth/confirm-with-credentials-dialog";
import { Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { fetchMyData, saveAsFile } from "../api/export-my-data";

/**
 * "Your data": downloads everything Profile Center holds about the person as one JSON file. The
 * download is a sensitive call, so the dialog asks for the password (and a code) when the
 * sign-in is not recent.
 */
export function YourDataCard() {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  return (
    <Card
      title="Your data"
      description="Download everything we hold about you: profile, settings, accounts and groups, sessions, security activity, passkeys and connected apps. Passwords, codes and keys are never included."
      footer={
        <Button
          onClick={() => {
            setDone(false);
            setOpen(true);
          }}
        >
          Download my data
        </Button>
      }
    >
      {done ? <p role="status">Your data was downloaded as a JSON file.</p> : undefined}
      <ConfirmWithCredentialsDialog
        open={open}
        title="Download your data"
        description="A JSON file with everything we hold about you. Times are in UTC; the file names your time zone."
        confirmLabel="Download"
        danger={false}
        onClose={() => setOpen(false)}
        run={async (credentials, signal) => saveAsFile(await fetchMyData(credentials, signal))}
        onDone={() => setDone(true)}
      />
    </Card>
  );
}

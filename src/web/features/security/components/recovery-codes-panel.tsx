import { useEffect, useRef } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { CopyButton } from "../../../components/ui/copy-button";
import { LeaveGuardDialog, useLeaveGuard } from "../../../components/ui/leave-guard";

/** Props of {@link RecoveryCodesPanel}. */
export interface RecoveryCodesPanelProps {
  codes: string[];
  email: string;
  onDone: () => void;
  /** Text of the button that closes the panel (default "I saved my recovery codes"). */
  doneLabel?: string | undefined;
}

/** Saves the codes as a text file (a download made in the browser: the codes never travel again). */
function downloadCodes(codes: string[], email: string): void {
  const text = [
    `Profile Center recovery codes for ${email}`,
    "Each code works once, instead of a code from your authenticator app.",
    "",
    ...codes,
    "",
  ].join("\n");
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = "profile-center-recovery-codes.txt";
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * New recovery codes, shown once, with copy, download and print. The warning and the first codes
 * are brought into view (on a phone they would be below the fold) and take focus, and leaving the
 * page before "I saved my recovery codes" asks first.
 */
export function RecoveryCodesPanel({ codes, email, onDone, doneLabel = "I saved my recovery codes" }: RecoveryCodesPanelProps) {
  const panelRef = useRef<HTMLDivElement>(null);
  // Shown this once: leaving before they are saved loses them.
  const guard = useLeaveGuard(true);

  useEffect(() => {
    panelRef.current?.scrollIntoView({ block: "start" });
    panelRef.current?.focus({ preventScroll: true });
  }, []);

  function handleDone() {
    guard.release();
    onDone();
  }

  return (
    <div className="stack recovery-codes-panel" ref={panelRef} tabIndex={-1} aria-label="Your new recovery codes">
      <Alert tone="warning" title="Save your recovery codes now">
        They are shown only this once. If you lose your phone, each code lets you sign in once instead of a code from the app.
        Keep them somewhere safe, such as your password manager.
      </Alert>
      <ol className="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p className="recovery-codes__print-note">
        Profile Center recovery codes for {email}. Each code works once, instead of a code from your authenticator app.
      </p>
      <div className="row recovery-codes__actions">
        <CopyButton value={codes.join("\n")} label="Copy codes" />
        <Button size="sm" onClick={() => downloadCodes(codes, email)}>
          Download codes
        </Button>
        <Button size="sm" onClick={() => window.print()}>
          Print codes
        </Button>
        <Button variant="primary" size="sm" onClick={handleDone}>
          {doneLabel}
        </Button>
      </div>
      <LeaveGuardDialog
        guard={guard}
        title="Leave without saving your recovery codes?"
        description="They are shown only this once. Without them, losing your phone can lock you out."
        stayLabel="Stay and save them"
        leaveLabel="Leave without them"
      />
    </div>
  );
}

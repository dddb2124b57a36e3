import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { LIMITS } from "@contracts/limits";
import { ConfirmWithCredentialsDialog } from "../../../components/reauth/confirm-with-credentials-dialog";
import { Alert } from "../../../components/ui/alert";
import { Badge } from "../../../components/ui/badge";
import { Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { Dialog } from "../../../components/ui/dialog";
import { ErrorState } from "../../../components/ui/empty-state";
import { SkeletonText } from "../../../components/ui/skeleton";
import { TextField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import { useFormatters } from "../../../lib/formatters-context";
import { isPasskeyAlreadyRegistered, isPasskeyCancelled, passkeysSupported } from "../../../lib/passkeys";
import type { Passkey } from "../api/passkeys";
import { addPasskey, removePasskey, renamePasskey, usePasskeys, useRefreshPasskeys } from "../api/passkeys";
import { useSetupArrival } from "../hooks/use-setup-arrival";
import { describeMfaRequiredByAccount } from "./mfa-required-message";

/** Why adding a passkey failed, in words (a cancelled browser dialog included). */
function describeAddError(error: unknown) {
  if (isPasskeyCancelled(error)) return "No passkey was created. Try again when you're ready.";
  if (isPasskeyAlreadyRegistered(error)) return "This device or password manager already has a passkey for you here.";
  if (isApiError(error, "invalid_passkey")) return "The passkey could not be checked, so it was not added. Try again.";
  return getErrorMessage(error);
}

/** One passkey: its name, what keeps it, whether it is synced, when it was added and last used. */
function PasskeyRow({ passkey, onRename, onRemove }: { passkey: Passkey; onRename: () => void; onRemove: () => void }) {
  const formatters = useFormatters();
  return (
    <li className="passkey-row" data-testid="passkey-row">
      <div className="passkey-row__main">
        <div className="row">
          <strong className="passkey-row__name">{passkey.name}</strong>
          {passkey.backedUp ? <Badge tone="info">Synced</Badge> : <Badge>This device only</Badge>}
        </div>
        <p className="text-muted passkey-row__meta">
          {passkey.authenticator ? `${passkey.authenticator} · ` : ""}
          Added {formatters.date(passkey.createdAt)} ·{" "}
          {passkey.lastUsedAt ? `last used ${formatters.relative(passkey.lastUsedAt)}` : "not used yet"}
        </p>
      </div>
      <div className="row">
        <Button size="sm" onClick={onRename} aria-label={`Rename ${passkey.name}`}>
          Rename
        </Button>
        <Button size="sm" variant="danger" onClick={onRemove} aria-label={`Remove ${passkey.name}`}>
          Remove
        </Button>
      </div>
    </li>
  );
}

/** Renames a passkey: one text field, saved on Enter. */
function RenameDialog({ passkey, onClose, onDone }: { passkey: Passkey | null; onClose: () => void; onDone: () => void }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const formId = "rename-passkey-form";

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!passkey) return;
    const value = name.trim();
    if (!value) {
      setError("Enter a name.");
      return inputRef.current?.focus();
    }
    setPending(true);
    try {
      await renamePasskey(passkey.id, value);
      onDone();
    } catch (caught) {
      setError(
        isApiError(caught, "validation_failed") ? (caught.fieldErrors.name ?? getErrorMessage(caught)) : getErrorMessage(caught),
      );
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog
      open={passkey !== null}
      onClose={onClose}
      title="Rename passkey"
      size="sm"
      initialFocusRef={inputRef}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant="primary" loading={pending}>
            Save
          </Button>
        </>
      }
    >
      <form id={formId} className="stack" noValidate onSubmit={(event) => void handleSubmit(event)}>
        <TextField
          key={passkey?.id}
          ref={inputRef}
          label="Name"
          hint="A name you'll recognise, such as the device or password manager that keeps it."
          maxLength={LIMITS.nameMaxLength}
          defaultValue={passkey?.name}
          onChange={(event) => setName(event.target.value)}
          onFocus={(event) => setName(event.target.value)}
          error={error}
        />
      </form>
    </Dialog>
  );
}

/**
 * The Passkeys card: sign in without a password with a passkey kept by the phone, the computer
 * or a password manager; each passkey also counts as a second factor after the password.
 */
export function PasskeysCard() {
  const passkeys = usePasskeys();
  const refresh = useRefreshPasskeys();
  // Sent here to set up MFA for an account: a passkey does it too, and then the person goes on.
  const arrival = useSetupArrival();
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<Passkey | null>(null);
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const [notice, setNotice] = useState<string>();
  const supported = passkeysSupported();
  const items = passkeys.data?.items ?? [];

  let body;
  if (passkeys.isPending) body = <SkeletonText lines={2} label="Loading passkeys…" />;
  else if (passkeys.isError) body = <ErrorState error={passkeys.error} onRetry={() => void passkeys.refetch()} />;
  else
    body = (
      <div className="stack">
        {passkeys.data.tryPasskeyHint && supported ? (
          <Alert tone="info" title="Try a passkey">
            Add one here, then sign out and choose &ldquo;Sign in with a passkey&rdquo;: no password, and it counts as two-factor
            authentication.
          </Alert>
        ) : null}
        {items.length === 0 ? (
          <p>
            A passkey lets you sign in with your fingerprint, face or screen lock instead of your password. It is kept by your
            phone, computer or password manager and cannot be phished. It also counts as two-factor authentication.
          </p>
        ) : (
          <ul className="passkey-list" aria-label="Your passkeys">
            {items.map((passkey) => (
              <PasskeyRow
                key={passkey.id}
                passkey={passkey}
                onRename={() => setRenaming(passkey)}
                onRemove={() => setRemoving(passkey)}
              />
            ))}
          </ul>
        )}
        {supported ? (
          <div className="row">
            <Button variant={items.length === 0 ? "primary" : "secondary"} onClick={() => setAdding(true)}>
              Add a passkey
            </Button>
          </div>
        ) : (
          <Alert tone="info">This browser cannot create passkeys here. Passkeys need a secure (https) connection.</Alert>
        )}
      </div>
    );

  return (
    <Card
      title="Passkeys"
      description="Sign in without a password, and a second step that cannot be phished."
      headerAction={passkeys.data ? <Badge tone={items.length > 0 ? "success" : "neutral"}>{items.length}</Badge> : undefined}
    >
      <div className="stack">
        {notice ? (
          <Alert tone="success" onDismiss={() => setNotice(undefined)}>
            {notice}
          </Alert>
        ) : null}
        {body}
      </div>
      <ConfirmWithCredentialsDialog
        open={adding}
        title="Add a passkey"
        description="Your browser will ask where to keep the new passkey and to confirm with your fingerprint, face, PIN or screen lock."
        confirmLabel="Continue"
        danger={false}
        offerPasskey={items.length > 0}
        onClose={() => setAdding(false)}
        run={(credentials, signal) => addPasskey(credentials, signal)}
        onDone={() => {
          setNotice("Passkey added. You can now use it to sign in.");
          void refresh();
          if (arrival.isArrival) arrival.finish();
        }}
        describeError={describeAddError}
      />
      <ConfirmWithCredentialsDialog
        open={removing !== null}
        title="Remove passkey?"
        description={`"${removing?.name ?? ""}" will no longer sign you in. Remove it from your device or password manager too.`}
        confirmLabel="Remove"
        offerPasskey={items.length > 1}
        onClose={() => setRemoving(null)}
        run={(credentials, signal) => (removing ? removePasskey(removing.id, credentials, signal) : Promise.resolve())}
        onDone={() => {
          setNotice("Passkey removed.");
          void refresh();
        }}
        describeError={(error) =>
          isApiError(error, "mfa_required_by_account") ? describeMfaRequiredByAccount(error) : undefined
        }
      />
      <RenameDialog
        passkey={renaming}
        onClose={() => setRenaming(null)}
        onDone={() => {
          setRenaming(null);
          void refresh();
        }}
      />
    </Card>
  );
}

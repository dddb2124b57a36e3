import type { ReactNode } from "react";
import { isApiError } from "../../../lib/api-error";

/** An account named in a refusal: `{id, name}` from the server. */
export interface AccountRef {
  id: string;
  name: string;
}

/** Why two-factor authentication stays on: the accounts that require it, by name. */
export function MfaRequiredByAccounts({ accounts }: { accounts: readonly AccountRef[] }) {
  return (
    <>
      {accounts.length === 1 ? "This account requires" : "These accounts require"} two-factor authentication for every member, so
      it stays on while you belong to {accounts.length === 1 ? "it" : "them"}:
      <ul>
        {accounts.map((account) => (
          <li key={account.id}>{account.name}</li>
        ))}
      </ul>
    </>
  );
}

/** Names the accounts of a 409 `mfa_required_by_account`; undefined for any other failure. */
export function describeMfaRequiredByAccount(error: unknown): ReactNode | undefined {
  if (!isApiError(error, "mfa_required_by_account")) return undefined;
  const listed = Array.isArray(error.details.accounts) ? (error.details.accounts as Array<{ id?: unknown; name?: unknown }>) : [];
  const accounts = listed.flatMap((account) =>
    typeof account.name === "string" && account.name ? [{ id: String(account.id), name: account.name }] : [],
  );
  return accounts.length === 0 ? undefined : <MfaRequiredByAccounts accounts={accounts} />;
}

import type { ReactNode } from "react";
import { isApiError } from "../../../lib/api-error";

/** Names the accounts of a 409 `mfa_required_by_account`; undefined for any other failure. */
export function describeMfaRequiredByAccount(error: unknown): ReactNode | undefined {
  if (!isApiError(error, "mfa_required_by_account")) return undefined;
  const accounts = Array.isArray(error.details.accounts) ? (error.details.accounts as Array<{ name?: unknown }>) : [];
  const names = accounts.map((account) => (typeof account.name === "string" ? account.name : "")).filter(Boolean);
  if (names.length === 0) return undefined;
  return (
    <>
      {names.length === 1 ? "This account requires" : "These accounts require"} two-factor authentication for every member, so it
      stays on while you belong to {names.length === 1 ? "it" : "them"}:
      <ul>
        {names.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
    </>
  );
}

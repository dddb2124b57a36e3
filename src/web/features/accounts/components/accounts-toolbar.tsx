import { useEffect, useState } from "react";
import { ACCOUNT_TYPES, type AccountType } from "@contracts/accounts";
import { Select } from "../../../components/ui/select";
import { TextField } from "../../../components/ui/text-field";
import type { MyAccountsFilters } from "../api/get-my-accounts";
import { TYPE_LABELS } from "./account-labels";

/** Search by name or ID (applied after a short pause in typing) and a filter by type. */
export function AccountsToolbar({ onChange }: { onChange: (filters: MyAccountsFilters) => void }) {
  const [q, setQ] = useState("");
  const [type, setType] = useState<AccountType | "">("");

  useEffect(() => {
    const timer = window.setTimeout(() => onChange({ q: q.trim(), type }), 250);
    return () => window.clearTimeout(timer);
  }, [q, type, onChange]);

  return (
    <div className="accounts-toolbar" role="search" aria-label="Filter your accounts">
      <TextField
        label="Search"
        type="search"
        name="q"
        placeholder="Name or account ID"
        maxLength={100}
        autoComplete="off"
        value={q}
        onChange={(event) => setQ(event.target.value)}
      />
      <Select
        label="Type"
        name="type"
        value={type}
        onChange={(event) => setType(event.target.value as AccountType | "")}
        options={[{ value: "", label: "All types" }, ...ACCOUNT_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))]}
      />
    </div>
  );
}

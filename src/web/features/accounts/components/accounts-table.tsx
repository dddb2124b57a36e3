import type { ReactNode } from "react";
import type { MyAccountDto } from "@contracts/accounts";
import { Badge } from "../../../components/ui/badge";
import { Button } from "../../../components/ui/button";
import { CopyButton } from "../../../components/ui/copy-button";
import { Table } from "../../../components/ui/table";
import { useFormatters } from "../../../lib/formatters-context";
import { POLICY_LABELS, POLICY_TONES, TYPE_LABELS, TYPE_TONES } from "./account-labels";

/** Props of {@link AccountsTable}. */
export interface AccountsTableProps {
  accounts: readonly MyAccountDto[];
  onSwitch: (account: MyAccountDto) => void;
  /** The account being switched to right now. */
  switchingId: string | undefined;
  empty: ReactNode;
}

/** Whether the person meets the account's MFA policy, in words and a mark (not colour alone). */
function Compliance({ account }: { account: MyAccountDto }) {
  if (account.compliant) {
    return (
      <span className="accounts-compliance accounts-compliance--ok">
        <span aria-hidden="true">✓</span> {account.mfaPolicy === "optional" ? "No requirement" : "You comply"}
      </span>
    );
  }
  return (
    <span className="accounts-compliance accounts-compliance--missing">
      <span aria-hidden="true">{account.mfaPolicy === "required" ? "✕" : "!"}</span>{" "}
      {account.mfaPolicy === "required" ? "Set up MFA to enter" : "MFA recommended"}
    </span>
  );
}

/** The person's accounts: a table on wide screens, cards under 640px (the Table does that). */
export function AccountsTable({ accounts, onSwitch, switchingId, empty }: AccountsTableProps) {
  const formatters = useFormatters();
  return (
    <Table<MyAccountDto>
      caption="Your accounts"
      hideCaption
      // Six columns need about 800px; with less (beside the side navigation too) rows become cards.
      stackBelow={800}
      rows={accounts}
      getRowKey={(account) => account.id}
      empty={empty}
      columns={[
        {
          key: "name",
          header: "Account",
          cell: (account) => (
            <span className="accounts-name">
              <strong>{account.name}</strong>
              <span className="accounts-badges">
                <Badge tone={TYPE_TONES[account.type]}>{TYPE_LABELS[account.type]}</Badge>
                {account.active ? <Badge tone="success">Active</Badge> : null}
              </span>
            </span>
          ),
        },
        {
          key: "id",
          header: "Account ID",
          cell: (account) => (
            <span className="accounts-id">
              <code>{account.id}</code>
              <CopyButton value={account.id} label="Copy ID" variant="ghost" />
            </span>
          ),
        },
        {
          key: "groups",
          header: "Your groups",
          cell: (account) => account.groups.map((group) => group.name).join(", ") || "—",
        },
        {
          key: "joined",
          header: "Joined",
          cell: (account) => <span className="accounts-nowrap">{formatters.date(account.joinedAt)}</span>,
        },
        {
          key: "mfa",
          header: "MFA policy",
          cell: (account) => (
            <span className="accounts-policy">
              <Badge tone={POLICY_TONES[account.mfaPolicy]}>{POLICY_LABELS[account.mfaPolicy]}</Badge>
              <Compliance account={account} />
            </span>
          ),
        },
        {
          key: "action",
          header: "Action",
          hideHeader: true,
          align: "end",
          cell: (account) =>
            account.active ? (
              <span className="accounts-current">Current account</span>
            ) : (
              <Button
                size="sm"
                variant="secondary"
                aria-label={`Switch to ${account.name}`}
                loading={switchingId === account.id}
                onClick={() => onSwitch(account)}
              >
                Switch
              </Button>
            ),
        },
      ]}
    />
  );
}

import { MenuButton } from "../../../components/ui/menu-button";
import { Skeleton } from "../../../components/ui/skeleton";
import { useMe } from "../../../lib/current-user";
import { useMyAccounts } from "../api/get-my-accounts";
import { useAccountSwitch } from "../hooks/use-account-switch";
import { useResumePendingSwitch } from "../hooks/use-resume-pending-switch";
import { TYPE_LABELS } from "./account-labels";
import "./account-switcher.css";

/**
 * The top-bar account switcher: lists the person's accounts (`GET /api/v1/me/accounts`) and
 * makes one active. An account whose policy requires MFA the person lacks leads into MFA setup;
 * once MFA is on, the account is entered. Renders nothing without accounts.
 */
export function AccountSwitcher() {
  const accounts = useMyAccounts();
  const me = useMe();
  const { switchTo } = useAccountSwitch();
  useResumePendingSwitch(me.data?.mfaEnabled);

  if (accounts.isPending) return <Skeleton width="8rem" height="1.5rem" />;
  if (accounts.isError || accounts.data.items.length === 0) return null;
  const items = accounts.data.items;
  const active = items.find((account) => account.active);

  return (
    <MenuButton
      className="account-switcher"
      align="end"
      label={
        <span className="account-switcher__label">
          {/* Visible text stays part of the accessible name (WCAG 2.5.3, axe label-content-name-mismatch). */}
          <span className="sr-only">{active ? "Switch account. Active account: " : "Switch account: "}</span>
          <span className="account-switcher__name">{active?.name ?? "Choose an account"}</span>
          {active ? <span className="account-switcher__id">{active.id}</span> : null}
        </span>
      }
      header="Switch account"
      items={[
        ...items.map((account) => ({
          key: account.id,
          current: account.active,
          onSelect: () => switchTo(account),
          label: (
            <span className="account-switcher__item">
              <span className="account-switcher__name">
                {account.name}
                {account.active ? <span className="sr-only"> (active)</span> : null}
              </span>
              <span className="account-switcher__meta">
                {TYPE_LABELS[account.type]} · {account.id}
                {account.mfaPolicy === "required" && !account.compliant ? " · MFA required" : ""}
              </span>
            </span>
          ),
        })),
        { key: "all", to: "/profile/accounts", label: "All accounts…" },
      ]}
    />
  );
}

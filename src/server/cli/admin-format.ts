import type { AdminAccountDetailDto, AdminAccountListItemDto } from "../../contracts/admin.js";

/** Left-aligned columns separated by two spaces. Pure. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** `list-accounts` as text. */
export function formatAccountList(items: AdminAccountListItemDto[]): string {
  if (items.length === 0) return "No accounts yet. Create one with: admin create-account --name <name> --type <type>";
  return formatTable(
    ["ID", "TYPE", "MFA POLICY", "MEMBERS", "NAME"],
    items.map((a) => [a.id, a.type, a.mfaPolicy, String(a.memberCount), a.name]),
  );
}

/** `show-account` as text. */
export function formatAccountDetail(a: AdminAccountDetailDto): string {
  const groupName = new Map(a.groups.map((g) => [g.id, g.name]));
  const names = (ids: string[]) => ids.map((id) => groupName.get(id) ?? id).join(", ");
  const parts = [
    `${a.id}  ${a.name}`,
    `type: ${a.type}   MFA policy: ${a.mfaPolicy}   created: ${a.createdAt}`,
    "",
    "Groups",
    formatTable(
      ["ID", "NAME"],
      a.groups.map((g) => [g.id, g.admin ? `${g.name} (administrators)` : g.name]),
    ),
    "",
    "Members",
    a.members.length === 0
      ? "(none)"
      : formatTable(
          ["ID", "EMAIL", "NAME", "JOINED", "GROUPS"],
          a.members.map((m) => [m.userId, m.email, `${m.firstName} ${m.lastName}`, m.joinedAt, names(m.groupIds)]),
        ),
  ];
  if (a.pendingInvitations.length > 0) {
    parts.push(
      "",
      "Pending invitations",
      formatTable(
        ["EMAIL", "EXPIRES", "GROUPS"],
        a.pendingInvitations.map((i) => [i.email, i.expiresAt, names(i.groupIds)]),
      ),
    );
  }
  return parts.join("\n");
}

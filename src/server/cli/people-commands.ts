import { adminUpdateUserSchema, adminUserListQuerySchema, USER_STATUSES } from "../../contracts/admin-users.js";
import type { AdminUserDetailDto, AdminUserDto } from "../../contracts/admin-users.js";
import { CLI_ACTOR } from "../features/accounts/accounts.deps.js";
import { member, parseWith, resolveUser, str, UsageError, type Command } from "./admin-commands.js";
import { formatTable } from "./admin-format.js";

const json = { type: "boolean", description: "print JSON instead of text" } as const;

/** `list-users` as text. */
export function formatUserList(items: AdminUserDto[]): string {
  if (items.length === 0) return "No people match.";
  return formatTable(
    ["ID", "EMAIL", "STATUS", "MFA", "LAST SIGN-IN", "NAME"],
    items.map((u) => [
      u.id,
      u.email,
      u.status,
      u.mfaEnabled ? "on" : u.passkeys > 0 ? "passkeys" : "off",
      u.lastSignInAt ?? "never",
      `${u.firstName} ${u.lastName}`,
    ]),
  );
}

/** `show-user` as text. */
export function formatUserDetail(u: AdminUserDetailDto): string {
  const mfa = u.mfa.totp.enabled ? `authenticator app since ${u.mfa.totp.enabledAt ?? "?"}` : "no authenticator app";
  return [
    `${u.id}  ${u.firstName} ${u.lastName} <${u.email}>`,
    `status: ${u.status}${u.disabledAt ? ` (since ${u.disabledAt})` : ""}   created: ${u.createdAt}   last sign-in: ${u.lastSignInAt ?? "never"}`,
    `MFA: ${mfa}; ${u.mfa.recoveryCodesLeft} recovery codes left; ${u.mfa.passkeys} passkeys`,
    `active sessions: ${u.activeSessions}`,
    "",
    "Memberships",
    u.memberships.length === 0
      ? "(none)"
      : formatTable(
          ["ACCOUNT", "NAME", "JOINED", "GROUPS"],
          u.memberships.map((m) => [
            m.account.id,
            m.account.name,
            m.joinedAt,
            m.groups.map((g) => (g.admin ? `${g.name} (administrators)` : g.name)).join(", "),
          ]),
        ),
  ].join("\n");
}

/** The operator's commands for people: the same operations as `/api/v1/admin/users…`. */
export const PEOPLE_COMMANDS: Record<string, Command> = {
  "list-users": {
    summary: "List people by email (search email and names, filter by status)",
    options: {
      search: { type: "string", description: "part of an email, first or last name" },
      status: { type: "string", description: USER_STATUSES.join(" | ") },
      json,
    },
    async run(ctx, values, io) {
      const query = parseWith(
        adminUserListQuerySchema,
        { limit: 100, q: str(values, "search"), status: str(values, "status") },
        { q: "--search" },
      );
      const items = [];
      let cursor: string | undefined;
      do {
        const page = await ctx.services.people.listPeople({ ...query, cursor }, CLI_ACTOR);
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      io.out(values.json ? JSON.stringify(items, null, 2) : formatUserList(items));
    },
  },
  "show-user": {
    summary: "Show a person: memberships, MFA state, active sessions, last sign-in",
    options: { ...member, json },
    async run(ctx, values, io) {
      const detail = await ctx.services.people.getPerson(await resolveUser(ctx, values), CLI_ACTOR);
      io.out(values.json ? JSON.stringify(detail, null, 2) : formatUserDetail(detail));
    },
  },
  "rename-user": {
    summary: "Change a person's first and/or last name",
    options: {
      ...member,
      "first-name": { type: "string", description: "new first name" },
      "last-name": { type: "string", description: "new last name" },
    },
    async run(ctx, values, io) {
      const input = parseWith(
        adminUpdateUserSchema,
        { firstName: str(values, "first-name"), lastName: str(values, "last-name") },
        { firstName: "--first-name", lastName: "--last-name" },
      );
      const updated = await ctx.services.people.updatePerson(await resolveUser(ctx, values), input, CLI_ACTOR);
      io.out(`${updated.id} is now named ${updated.firstName} ${updated.lastName}`);
    },
  },
  "disable-user": {
    summary: "Disable a person: every session ends at once and sign-in is refused",
    options: { ...member },
    async run(ctx, values, io) {
      const updated = await ctx.services.people.updatePerson(await resolveUser(ctx, values), { status: "disabled" }, CLI_ACTOR);
      io.out(`disabled ${updated.id} (${updated.email}); ${updated.sessionsEnded} session(s) ended`);
      if (updated.soleAdminOf.length > 0)
        io.err(
          `Warning: ${updated.email} is the only administrator of ${updated.soleAdminOf.map((a) => `${a.name} (${a.id})`).join(", ")}; ` +
            "those accounts have no administrator who can sign in until you add another.",
        );
    },
  },
  "enable-user": {
    summary: "Enable a disabled person again",
    options: { ...member },
    async run(ctx, values, io) {
      const updated = await ctx.services.people.updatePerson(await resolveUser(ctx, values), { status: "active" }, CLI_ACTOR);
      io.out(`enabled ${updated.id} (${updated.email})`);
    },
  },
  "export-user": {
    summary: "Print everything held about a person as JSON (their data export, also when disabled)",
    options: { ...member },
    async run(ctx, values, io) {
      io.out(JSON.stringify(await ctx.services.dataExport.exportPersonData(await resolveUser(ctx, values)), null, 2));
    },
  },
  "reset-mfa": {
    summary: "Lost phone: remove the authenticator app, recovery codes and passkeys, end every session, tell the person",
    options: { ...member },
    async run(ctx, values, io) {
      const userId = await resolveUser(ctx, values);
      await ctx.services.people.resetMfa(userId, CLI_ACTOR);
      io.out(`MFA reset for ${userId}; every session ended and the person was told by mail`);
    },
  },
  "revoke-sessions": {
    summary: "End every session of a person",
    options: { ...member },
    async run(ctx, values, io) {
      const userId = await resolveUser(ctx, values);
      const revoked = await ctx.services.people.revokeSessions(userId, CLI_ACTOR);
      io.out(`${revoked} session(s) of ${userId} ended`);
    },
  },
  "delete-user": {
    summary: "Delete a person and their data, as self-deletion (refused for an account's last administrator)",
    options: { ...member, yes: { type: "boolean", description: "confirm: this cannot be undone" } },
    async run(ctx, values, io) {
      if (!values.yes) throw new UsageError("deleting a person cannot be undone: add --yes to confirm");
      const userId = await resolveUser(ctx, values);
      await ctx.services.people.deletePerson(userId, CLI_ACTOR);
      io.out(`deleted ${userId}`);
    },
  },
};

import type * as z from "zod";
import { ACCOUNT_TYPES, MFA_POLICIES } from "../../contracts/accounts.js";
import {
  adminAddMemberSchema,
  adminCreateAccountSchema,
  adminCreateGroupSchema,
  adminCreateUserSchema,
  adminSetGroupsSchema,
  adminUpdateAccountSchema,
} from "../../contracts/admin.js";
import { CLI_ACTOR } from "../features/accounts/accounts.deps.js";
import type { CliContext } from "./cli-context.js";
import { formatAccountDetail, formatAccountList } from "./admin-format.js";
import { UsageError, type Command, type OptionValues } from "./cli-command.js";
import { SSO_COMMANDS } from "./sso-commands.js";

export { UsageError, type Command, type CommandOption, type Io, type OptionValues } from "./cli-command.js";

/** Validates with a contract schema; problems become one usage error naming the flags. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, flags: Record<string, string>): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? "");
    return `${flags[field] ?? (field ? `--${field}` : "input")}: ${issue.message}`;
  });
  throw new UsageError(lines.join("\n"));
}

export const str = (values: OptionValues, name: string): string | undefined => {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
};
const list = (values: OptionValues, name: string): string[] => {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
};

/** Group ids from `--group` values: ids as given, names looked up in the account (case-insensitive). */
async function resolveGroups(ctx: CliContext, accountId: string, refs: string[]): Promise<string[]> {
  const groups = await ctx.services.accounts.findGroupsOf(accountId);
  if (!groups) return refs; // the service answers "account not found"
  return refs.map((ref) => {
    if (/^GR-/i.test(ref)) return ref.toUpperCase();
    const match = groups.find((g) => g.name.toLowerCase() === ref.toLowerCase());
    if (!match)
      throw new UsageError(`--group: the account has no group named "${ref}" (groups: ${groups.map((g) => g.name).join(", ")})`);
    return match.id;
  });
}

/** A user id from `--user` (UR-…) or `--email`. */
export async function resolveUser(ctx: CliContext, values: OptionValues): Promise<string> {
  const user = str(values, "user");
  const email = str(values, "email");
  if (user) return user;
  if (!email) throw new UsageError("give --user <UR-…> or --email <address>");
  const id = await ctx.services.accounts.findUserIdByEmail(email);
  if (!id) throw new UsageError(`--email: no user has the email ${email}`);
  return id;
}

const account = { type: "string", required: true, description: "account ID (VA-… or PA-…)" } as const;
/** The member a command acts on, by ID or email (`resolveUser`). */
export const member = {
  user: { type: "string", description: "user ID (UR-…)" },
  email: { type: "string", description: "or the user's email" },
} as const;
const json = { type: "boolean", description: "print JSON instead of text" } as const;

/** Every operator command: the same operations as the admin API, through the same services. */
export const COMMANDS: Record<string, Command> = {
  "create-user": {
    summary: "Create a user (prints the new UR- id)",
    options: {
      email: { type: "string", required: true, description: "email address" },
      "first-name": { type: "string", required: true, description: "first name" },
      "last-name": { type: "string", required: true, description: "last name" },
      "password-stdin": { type: "boolean", description: "read the password from standard input (never from the command line)" },
      "generate-password": { type: "boolean", description: "generate a password and print it once" },
    },
    async run(ctx, values, io) {
      let password: string | undefined;
      if (values["password-stdin"]) password = (await io.readStdin()).replace(/\r?\n$/, "");
      else if (values["generate-password"]) {
        const { generatePassphrase } = await import("./passphrase.js");
        password = generatePassphrase(ctx.config.passwordMinLength, [
          str(values, "email"),
          str(values, "first-name"),
          str(values, "last-name"),
        ]);
      }
      const input = parseWith(
        adminCreateUserSchema,
        { email: str(values, "email"), firstName: str(values, "first-name"), lastName: str(values, "last-name"), password },
        { email: "--email", firstName: "--first-name", lastName: "--last-name", password: "password" },
      );
      const user = await ctx.services.accounts.createUser(input, CLI_ACTOR);
      io.out(user.id);
      if (values["generate-password"] && password) io.out(`password: ${password}`);
    },
  },
  "create-account": {
    summary: "Create an account with its Administrators group (prints the new ID)",
    options: {
      name: { type: "string", required: true, description: "account name" },
      type: { type: "string", required: true, description: ACCOUNT_TYPES.join(" | ") },
      "mfa-policy": { type: "string", description: `${MFA_POLICIES.join(" | ")} (default optional)` },
      json,
    },
    async run(ctx, values, io) {
      const input = parseWith(
        adminCreateAccountSchema,
        { name: str(values, "name"), type: str(values, "type"), mfaPolicy: str(values, "mfa-policy") },
        { mfaPolicy: "--mfa-policy" },
      );
      const created = await ctx.services.accounts.createAccount(input, CLI_ACTOR);
      io.out(values.json ? JSON.stringify(created, null, 2) : created.id);
    },
  },
  "create-group": {
    summary: "Create a group in an account (prints the new GR- id)",
    options: { account, name: { type: "string", required: true, description: "group name, e.g. Finance" } },
    async run(ctx, values, io) {
      const { name } = parseWith(adminCreateGroupSchema, { name: str(values, "name") }, {});
      const group = await ctx.services.accounts.createGroup(str(values, "account") ?? "", name, CLI_ACTOR);
      io.out(group.id);
    },
  },
  "add-member": {
    summary: "Add a person to an account's groups (an unknown email gets an invitation)",
    options: {
      account,
      email: { type: "string", required: true, description: "the person's email" },
      group: { type: "string", multiple: true, required: true, description: "group ID or name; repeat for several" },
    },
    async run(ctx, values, io) {
      const accountId = str(values, "account") ?? "";
      const groupIds = await resolveGroups(ctx, accountId, list(values, "group"));
      const input = parseWith(adminAddMemberSchema, { email: str(values, "email"), groupIds }, { groupIds: "--group" });
      const result = await ctx.services.accounts.addMember(accountId, input, CLI_ACTOR);
      if (result.status === "added") return io.out(`added ${result.email} (${result.userId ?? ""}) to ${accountId}`);
      io.out(
        `invited ${result.email} to ${accountId}; the link opens ${ctx.config.publicUrl} and expires ${result.expiresAt ?? ""}`,
      );
      // The CLI runs beside the server, not in it: its links only reach the server through PUBLIC_URL.
      if (!ctx.config.publicUrlExplicit)
        io.err(
          `Warning: PUBLIC_URL is not set, so the invitation link points to the default ${ctx.config.publicUrl}. ` +
            "Set PUBLIC_URL to the address people open the running server at (as the server has it), then invite again.",
        );
    },
  },
  "remove-member": {
    summary: "Remove a member from an account (refused for the last administrator)",
    options: {
      account,
      ...member,
    },
    async run(ctx, values, io) {
      const accountId = str(values, "account") ?? "";
      const userId = await resolveUser(ctx, values);
      await ctx.services.accounts.removeMember(accountId, userId, CLI_ACTOR);
      io.out(`removed ${userId} from ${accountId}`);
    },
  },
  "set-groups": {
    summary: "Replace a member's groups in an account",
    options: {
      account,
      ...member,
      group: { type: "string", multiple: true, required: true, description: "group ID or name; repeat for several" },
    },
    async run(ctx, values, io) {
      const accountId = str(values, "account") ?? "";
      const userId = await resolveUser(ctx, values);
      const groupIds = await resolveGroups(ctx, accountId, list(values, "group"));
      parseWith(adminSetGroupsSchema, { groupIds }, { groupIds: "--group" });
      const member = await ctx.services.accounts.setMemberGroups(accountId, userId, groupIds, CLI_ACTOR);
      io.out(`${member.userId} is now in ${member.groupIds.join(", ")}`);
    },
  },
  "set-mfa-policy": {
    summary: "Set an account's MFA policy (a stricter one applies at each session's next request)",
    options: { account, policy: { type: "string", required: true, description: MFA_POLICIES.join(" | ") } },
    async run(ctx, values, io) {
      const input = parseWith(adminUpdateAccountSchema, { mfaPolicy: str(values, "policy") }, { mfaPolicy: "--policy" });
      const updated = await ctx.services.accounts.updateAccount(str(values, "account") ?? "", input, CLI_ACTOR);
      io.out(`${updated.id} MFA policy: ${updated.mfaPolicy}`);
    },
  },
  "rename-account": {
    summary: "Rename an account",
    options: { account, name: { type: "string", required: true, description: "new name" } },
    async run(ctx, values, io) {
      const input = parseWith(adminUpdateAccountSchema, { name: str(values, "name") }, {});
      const updated = await ctx.services.accounts.updateAccount(str(values, "account") ?? "", input, CLI_ACTOR);
      io.out(`${updated.id} is now named ${updated.name}`);
    },
  },
  "list-accounts": {
    summary: "List every account",
    options: {
      type: { type: "string", description: `only this type (${ACCOUNT_TYPES.join(" | ")})` },
      search: { type: "string", description: "part of a name or ID" },
      json,
    },
    async run(ctx, values, io) {
      const type = str(values, "type");
      if (type !== undefined && !(ACCOUNT_TYPES as readonly string[]).includes(type))
        throw new UsageError(`--type: must be one of ${ACCOUNT_TYPES.join(", ")}`);
      const items = [];
      let cursor: string | undefined;
      do {
        const page = await ctx.services.accounts.listAccounts({ limit: 100, cursor, type, q: str(values, "search") }, CLI_ACTOR);
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      io.out(values.json ? JSON.stringify(items, null, 2) : formatAccountList(items));
    },
  },
  "show-account": {
    summary: "Show an account with its groups, members and pending invitations",
    options: { account, json },
    async run(ctx, values, io) {
      const detail = await ctx.services.accounts.getAccount(str(values, "account") ?? "", CLI_ACTOR);
      io.out(values.json ? JSON.stringify(detail, null, 2) : formatAccountDetail(detail));
    },
  },
  ...SSO_COMMANDS,
};

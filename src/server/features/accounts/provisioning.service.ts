import type {
  AdminAccountListItemDto,
  AdminCreateAccountInput,
  AdminCreateUserInput,
  AdminUpdateAccountInput,
} from "../../../contracts/admin.js";
import type { AccountGroupsTable, AccountsTable, UsersTable } from "../../db/schema.js";
import { decodeNameCursor, pageByName } from "../../lib/keyset-cursor.js";
import { insertWithFreshId, isUniqueViolation, newAccountId, newGroupId, newUserId } from "../../lib/ids.js";
import { checkPasswordPolicy } from "../security/password/password-policy.js";
import { accountErrors } from "./accounts.errors.js";
import { recordAdminAction, type AccountsDeps, type Actor } from "./accounts.deps.js";
import { presentAdminAccount } from "./accounts.presenters.js";
import { newUserRow } from "../users/users.repo.js";

/** Name of the group every account starts with; its members administer the account. */
export const ADMIN_GROUP_NAME = "Administrators";

/**
 * Operator provisioning of users, accounts and groups: what the admin API and the CLI both
 * call. Every operation records an `admin_action` event in the same transaction as its change.
 */
export function createProvisioningService(deps: AccountsDeps) {
  const { db, accountRows, users, clock, hasher, config } = deps;

  /** `POST /admin/users`: a person with an optional password (policy-checked, argon2id). */
  async function createUser(input: AdminCreateUserInput, actor: Actor): Promise<UsersTable> {
    if (input.password !== undefined) {
      const policy = checkPasswordPolicy(input.password, {
        minLength: config.passwordMinLength,
        userInputs: [input.email, input.firstName, input.lastName],
      });
      if (!policy.ok) throw accountErrors.weakPassword(policy.reason);
    }
    if (await users.findByEmail(input.email)) throw accountErrors.emailTaken();
    const passwordHash = input.password === undefined ? null : await hasher.hashPassword(input.password);
    try {
      return await insertWithFreshId(newUserId, (id) =>
        db.transaction().execute(async (trx) => {
          const { email, firstName, lastName } = input;
          const user = newUserRow({ id, email, firstName, lastName, passwordHash }, clock.now());
          if (await users.in(trx).findByEmail(input.email)) throw accountErrors.emailTaken();
          await users.in(trx).insert(user);
          await recordAdminAction(deps, trx, actor, "create_user", { userId: id, details: { withPassword: !!passwordHash } });
          return user;
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw accountErrors.emailTaken();
      throw error;
    }
  }

  /** `POST /admin/accounts`: the account and its Administrators group, in one transaction. */
  async function createAccount(input: AdminCreateAccountInput, actor: Actor) {
    return insertWithFreshId(
      () => newAccountId(input.type),
      (id) =>
        db.transaction().execute(async (trx) => {
          const now = clock.now();
          const account: AccountsTable = {
            id,
            name: input.name,
            type: input.type,
            mfaPolicy: input.mfaPolicy,
            createdAt: now,
            updatedAt: now,
          };
          const admins: AccountGroupsTable = {
            id: newGroupId(),
            accountId: id,
            name: ADMIN_GROUP_NAME,
            isAdmin: 1,
            createdAt: now,
          };
          await accountRows.in(trx).insertAccount(account);
          await accountRows.in(trx).insertGroup(admins);
          await recordAdminAction(deps, trx, actor, "create_account", {
            accountId: id,
            details: { type: input.type, mfaPolicy: input.mfaPolicy },
          });
          return presentAdminAccount(account, [admins]);
        }),
    );
  }

  /** `PATCH /admin/accounts/{id}`: rename and/or change the policy (a stricter one applies at each session's next request). */
  async function updateAccount(id: string, input: AdminUpdateAccountInput, actor: Actor) {
    return db.transaction().execute(async (trx) => {
      const account = await accountRows.in(trx).lockAccount(id);
      if (!account) throw accountErrors.accountNotFound();
      const changes: Partial<Pick<AccountsTable, "name" | "mfaPolicy">> = {};
      const diff: Record<string, { from: string; to: string }> = {};
      if (input.name !== undefined && input.name !== account.name) {
        changes.name = input.name;
        diff.name = { from: account.name, to: input.name };
      }
      if (input.mfaPolicy !== undefined && input.mfaPolicy !== account.mfaPolicy) {
        changes.mfaPolicy = input.mfaPolicy;
        diff.mfaPolicy = { from: account.mfaPolicy, to: input.mfaPolicy };
      }
      const now = clock.now();
      if (Object.keys(changes).length > 0) await accountRows.in(trx).updateAccount(id, changes, now);
      await recordAdminAction(deps, trx, actor, "update_account", { accountId: id, details: { changes: diff } });
      const updated = { ...account, ...changes, updatedAt: Object.keys(changes).length > 0 ? now : account.updatedAt };
      return presentAdminAccount(updated, await accountRows.in(trx).listGroups(id));
    });
  }

  /** `POST /admin/accounts/{id}/groups`: a new (non-administrator) group; names are unique per account. */
  async function createGroup(accountId: string, name: string, actor: Actor): Promise<AccountGroupsTable> {
    try {
      return await insertWithFreshId(newGroupId, (id) =>
        db.transaction().execute(async (trx) => {
          if (!(await accountRows.in(trx).findAccount(accountId))) throw accountErrors.accountNotFound();
          if (await accountRows.in(trx).findGroupByName(accountId, name)) throw accountErrors.groupNameTaken(name);
          const group: AccountGroupsTable = { id, accountId, name, isAdmin: 0, createdAt: clock.now() };
          await accountRows.in(trx).insertGroup(group);
          await recordAdminAction(deps, trx, actor, "create_group", { accountId, details: { groupId: id, name } });
          return group;
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw accountErrors.groupNameTaken(name);
      throw error;
    }
  }

  /** `GET /admin/accounts`: one page of every account, by name, with member counts. */
  async function listAccounts(
    query: { limit: number; cursor?: string | undefined; type?: string | undefined; q?: string | undefined },
    actor: Actor,
  ): Promise<{ items: AdminAccountListItemDto[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeNameCursor(query.cursor);
    if (query.cursor !== undefined && !after) throw accountErrors.invalidCursor();
    const rows = await accountRows.listAccountRows({ limit: query.limit, type: query.type, q: query.q || undefined, after });
    const { page, nextCursor } = pageByName(rows, query.limit);
    const items: AdminAccountListItemDto[] = [];
    for (const row of page) {
      const groups = await accountRows.listGroups(row.id);
      items.push({ ...presentAdminAccount(row, groups), memberCount: Number(row.memberCount) });
    }
    await recordAdminAction(deps, db, actor, "list_accounts", { details: { count: items.length } });
    return { items, nextCursor };
  }

  /** The account's groups (no audit row: a lookup for the CLI to resolve group names). */
  async function findGroupsOf(accountId: string): Promise<AccountGroupsTable[] | undefined> {
    if (!(await accountRows.findAccount(accountId))) return undefined;
    return accountRows.listGroups(accountId);
  }

  /** A user's id by email (no audit row: a lookup for the CLI). */
  async function findUserIdByEmail(email: string): Promise<string | undefined> {
    return (await users.findByEmail(email.trim().toLowerCase()))?.id;
  }

  /**
   * Records a refused or failed operator call (`admin_action`, result failure), or a call
   * without a valid operator token (`authz_fail`): refusals are audited like successes.
   */
  async function recordAdminFailure(
    actor: Actor,
    operation: string,
    failure: { status: number; code: string; accountId?: string; targetUserId?: string },
  ) {
    await deps.events.recordEvent(db, {
      type: failure.status === 401 ? "authz_fail" : "admin_action",
      userId: null,
      accountId: failure.status === 401 ? null : (failure.accountId ?? null),
      result: "failure",
      details: {
        operation,
        via: actor.via,
        ...(actor.requestId ? { requestId: actor.requestId } : {}),
        status: failure.status,
        code: failure.code,
        ...(failure.targetUserId ? { targetUserId: failure.targetUserId } : {}),
      },
      meta: actor.meta,
    });
  }

  return {
    createUser,
    createAccount,
    updateAccount,
    createGroup,
    listAccounts,
    findGroupsOf,
    findUserIdByEmail,
    recordAdminFailure,
  };
}

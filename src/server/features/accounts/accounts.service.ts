import type { AccountsDeps } from "./accounts.deps.js";
import { createInvitationsService } from "./invitations.service.js";
import { createMembersService } from "./members.service.js";
import { createMyAccountsService } from "./my-accounts.service.js";
import { createProvisioningService } from "./provisioning.service.js";

export type { AccountsDeps, Actor } from "./accounts.deps.js";
export { CLI_ACTOR } from "./accounts.deps.js";

/**
 * The accounts feature: operator provisioning (users, accounts, groups, members; the admin API
 * and the CLI call exactly these), invitations, and the person's own account list and active
 * account. Split into one file per area (style guide §1: a service past ~300 lines is split).
 */
export function createAccountsService(deps: AccountsDeps) {
  const provisioning = createProvisioningService(deps);
  const members = createMembersService(deps);
  const invitations = createInvitationsService(deps);
  const mine = createMyAccountsService(deps);
  return {
    ...provisioning,
    ...members,
    acceptInvitation: invitations.acceptInvitation,
    previewInvitation: invitations.previewInvitation,
    ...mine,
    /** True when no user exists yet (the demo seed only runs then). */
    hasNoUsers: async () => (await deps.users.count()) === 0,
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;

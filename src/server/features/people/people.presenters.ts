import type { AdminUserDetailDto, AdminUserDto } from "../../../contracts/admin-users.js";
import type { AccountType } from "../../../contracts/accounts.js";
import type { UserMembershipRow } from "../accounts/accounts.repo.js";
import type { PersonRow } from "./people.repo.js";

const iso = (ms: number) => new Date(ms).toISOString();

/** What the list shows of a person beside their row. */
export interface PersonFacts {
  mfaEnabled: boolean;
  passkeys: number;
  lastSignInAt: number | null;
}

/** A person in the operator's list. */
export function presentPerson(row: Omit<PersonRow, "sortKey">, facts: PersonFacts): AdminUserDto {
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    status: row.disabledAt === null ? "active" : "disabled",
    mfaEnabled: facts.mfaEnabled,
    passkeys: facts.passkeys,
    createdAt: iso(row.createdAt),
    lastSignInAt: facts.lastSignInAt === null ? null : iso(facts.lastSignInAt),
  };
}

/** What the detail shows beyond the list. */
export interface PersonDetailFacts extends PersonFacts {
  totpEnabledAt: number | null;
  recoveryCodesLeft: number;
  memberships: UserMembershipRow[];
  activeSessions: number;
}

/** One person in full, for `GET /admin/users/{id}` and `show-user`. */
export function presentPersonDetail(row: Omit<PersonRow, "sortKey">, facts: PersonDetailFacts): AdminUserDetailDto {
  return {
    ...presentPerson(row, facts),
    disabledAt: row.disabledAt === null ? null : iso(row.disabledAt),
    memberships: facts.memberships.map((m) => ({
      account: { id: m.account.id, name: m.account.name, type: m.account.type as AccountType },
      groups: m.groups.map((g) => ({ id: g.id, name: g.name, admin: g.isAdmin === 1 })),
      joinedAt: iso(m.joinedAt),
    })),
    mfa: {
      totp: { enabled: facts.mfaEnabled, enabledAt: facts.totpEnabledAt === null ? null : iso(facts.totpEnabledAt) },
      recoveryCodesLeft: facts.recoveryCodesLeft,
      passkeys: facts.passkeys,
    },
    activeSessions: facts.activeSessions,
  };
}

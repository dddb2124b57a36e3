import type { Migration, MigrationProvider } from "kysely";
import * as createSchema from "./0001-create-schema.js";
import * as addHistoryIndexes from "./0006-add-history-indexes.js";
import * as splitSessionIndexes from "./0007-split-session-indexes.js";
import * as orderPendingTokens from "./0008-order-pending-tokens.js";
import * as walkLiveSessions from "./0009-walk-live-sessions.js";
import * as cutSessionsByGeneration from "./0010-cut-sessions-by-generation.js";
import * as rememberActiveAccount from "./0030-remember-active-account.js";
import * as singleSignOn from "./0031-single-sign-on.js";
import * as boundSecurityEvents from "./0040-bound-security-events.js";
import * as reserveThrottleAttempts from "./0041-reserve-throttle-attempts.js";
import * as writeProbe from "./0045-write-probe.js";
import * as createDisabledUsers from "./0050-create-disabled-users.js";
import * as createKeyChecks from "./0051-create-key-checks.js";
import * as addPasskeys from "./0060-add-passkeys.js";
import * as addUserSecurityStates from "./0070-add-user-security-states.js";

/**
 * Every migration, in order. Listed statically (not read from the folder) so the same list
 * runs from source under Vitest and from the compiled build.
 */
export const migrations: Record<string, Migration> = {
  "0001-create-schema": createSchema,
  "0006-add-history-indexes": addHistoryIndexes,
  "0007-split-session-indexes": splitSessionIndexes,
  "0008-order-pending-tokens": orderPendingTokens,
  "0009-walk-live-sessions": walkLiveSessions,
  "0010-cut-sessions-by-generation": cutSessionsByGeneration,
  "0030-remember-active-account": rememberActiveAccount,
  "0031-single-sign-on": singleSignOn,
  "0040-bound-security-events": boundSecurityEvents,
  "0041-reserve-throttle-attempts": reserveThrottleAttempts,
  "0045-write-probe": writeProbe,
  "0050-create-disabled-users": createDisabledUsers,
  "0051-create-key-checks": createKeyChecks,
  "0060-add-passkeys": addPasskeys,
  "0070-add-user-security-states": addUserSecurityStates,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

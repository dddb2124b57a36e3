import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { TEST_DIALECT } from "@test/database.js";
import { expectIndexRead, hot, planOf } from "@test/query-plans.js";
import { myAccountsPageParameters, myAccountsPageSql, shapeOf } from "./my-accounts.repo.js";

/*
 * `GET /me/accounts` reads the person's memberships through their index, whatever the filters,
 * and the person's groups in the page's accounts through theirs: never a scan of everyone's
 * memberships, of all accounts or of all groups. (Only the page itself, at most limit + 1
 * accounts and their groups, is sorted.)
 */

/** SQLite reads the page (the statement's `with page as (…)`, at most limit + 1 rows) as a co-routine: that scan is not a table's. */
const withoutPageScan = (plan: string) => plan.replace(/^SCAN p$/m, "");

const t = useTestApp({}, { scope: "suite" });

const filters = {
  "no filter": { userId: "UR-1", limit: 20 },
  "a type": { userId: "UR-1", limit: 20, type: "vendor" },
  "a search": { userId: "UR-1", limit: 20, q: "acme" },
  "type, search and cursor": { userId: "UR-1", limit: 20, type: "vendor", q: "acme", after: { sortKey: "acme", id: "AC-1" } },
};

describe("the account list reads the person's memberships and groups through indexes", () => {
  for (const [name, filter] of Object.entries(filters)) {
    it(`${name}: account_memberships by user, accounts by key, group_memberships by user and account`, async () => {
      const plan = await planOf(t, hot(myAccountsPageSql(shapeOf(filter)), myAccountsPageParameters(filter)));
      expectIndexRead(withoutPageScan(plan), "account_memberships_user_idx", { sorts: true });
      expectIndexRead(withoutPageScan(plan), "group_memberships_user_idx", { sorts: true });
      if (TEST_DIALECT === "sqlite") {
        expect(plan, plan).toMatch(/SEARCH m USING (COVERING )?INDEX account_memberships_user_idx \(user_id=\?\)/);
        expect(plan, plan).toMatch(/SEARCH a USING INDEX \S+ \(id=\?\)/);
        expect(plan, plan).toMatch(
          /SEARCH gm USING (COVERING )?INDEX group_memberships_user_idx \(user_id=\? AND account_id=\?\)/,
        );
        expect(plan, plan).toMatch(/SEARCH g USING INDEX \S+ \(id=\?\)/);
      }
    });
  }
});

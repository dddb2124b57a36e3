import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../../test/create-test-app.js";
import { TEST_DIALECT } from "../../../../test/database.js";
import { expectIndexRead, hot, planOf } from "../../../../test/query-plans.js";
import { myAccountsPageParameters, myAccountsPageSql, myGroupsSql, shapeOf } from "./my-accounts.repo.js";

/*
 * `GET /me/accounts` reads the person's memberships through their index, whatever the filters:
 * never a scan of everyone's memberships or of all accounts. (Only the page itself, at most
 * limit + 1 accounts, is sorted.)
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const filters = {
  "no filter": { userId: "UR-1", limit: 20 },
  "a type": { userId: "UR-1", limit: 20, type: "vendor" },
  "a search": { userId: "UR-1", limit: 20, q: "acme" },
  "type, search and cursor": { userId: "UR-1", limit: 20, type: "vendor", q: "acme", after: { sortKey: "acme", id: "AC-1" } },
};

describe("the account list reads the person's memberships through an index", () => {
  for (const [name, filter] of Object.entries(filters)) {
    it(`${name}: account_memberships by user, accounts by key`, async () => {
      const plan = await planOf(t, hot(myAccountsPageSql(shapeOf(filter)), myAccountsPageParameters(filter)));
      expectIndexRead(plan, "account_memberships_user_idx", { sorts: true });
      if (TEST_DIALECT === "sqlite") {
        expect(plan, plan).toMatch(/SEARCH m USING (COVERING )?INDEX account_memberships_user_idx \(user_id=\?\)/);
        expect(plan, plan).toMatch(/SEARCH a USING INDEX \S+ \(id=\?\)/);
      }
    });
  }

  it("the person's groups in the page's accounts: group_memberships by user and account", async () => {
    const plan = await planOf(t, hot(myGroupsSql(8), ["UR-1", "AC-1", "AC-2", null, null, null, null, null, null]));
    expectIndexRead(plan, "group_memberships_user_idx", { sorts: true });
    if (TEST_DIALECT === "sqlite") {
      expect(plan, plan).toMatch(/SEARCH gm USING (COVERING )?INDEX group_memberships_user_idx \(user_id=\? AND account_id=\?\)/);
    }
  });
});

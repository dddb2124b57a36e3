import { describe, expect, it } from "vitest";
import { myAccountsResponseSchema } from "../../../contracts/accounts.js";
import { useTestApp } from "@test/use-test-app.js";
import { addMember, adminCall, createAccount, expectStatus } from "@test/accounts-fixtures.js";
import { insertUser, signedIn, signedInWithMfa } from "@test/factories.js";
import type { TestClient } from "@test/test-client.js";

const t = useTestApp({}, { scope: "suite" });

async function activeAccountOf(client: TestClient): Promise<string | undefined> {
  const list = myAccountsResponseSchema.parse(expectStatus(await client.get("/api/v1/me/accounts"), 200));
  return list.items.find((account) => account.active)?.id;
}

describe("the active account is remembered across sign-ins", () => {
  it("the next sign-in starts in the account made active last, while the person is still a member", async () => {
    const person = await insertUser(t);
    const first = await createAccount(t, { name: "First Vendor" });
    const second = await createAccount(t, { name: "Second Reseller", type: "reseller", mfaPolicy: "suggested" });
    await addMember(t, first.id, person.email, [first.adminGroupId]);
    await addMember(t, second.id, person.email, [second.adminGroupId]);
    const before = await signedIn(t, person);
    expect(await activeAccountOf(before)).toBeUndefined();
    expectStatus(await before.post("/api/v1/me/active-account", { accountId: second.id }), 200);

    expect(await activeAccountOf(await signedIn(t, person))).toBe(second.id);

    // No longer a member (another administrator remains): the next sign-in starts with none.
    await addMember(t, second.id, (await insertUser(t)).email, [second.adminGroupId]);
    expectStatus(await adminCall(t, "DELETE", `/accounts/${second.id}/members/${person.id}`), 204);
    expect(await activeAccountOf(await signedIn(t, person))).toBeUndefined();
  });

  it("an account that now requires MFA is restored only to a sign-in that used it", async () => {
    const person = await insertUser(t);
    const account = await createAccount(t, { name: "Strict Distribution", type: "distributor" });
    await addMember(t, account.id, person.email, [account.adminGroupId]);
    expectStatus(await (await signedIn(t, person)).post("/api/v1/me/active-account", { accountId: account.id }), 200);
    expectStatus(await adminCall(t, "PATCH", `/accounts/${account.id}`, { mfaPolicy: "required" }), 200);

    expect(await activeAccountOf(await signedIn(t, person))).toBeUndefined();
    expect(await activeAccountOf(await signedInWithMfa(t, person))).toBe(account.id);
  });
});

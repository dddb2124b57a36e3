import { beforeAll, describe, expect, it } from "vitest";
import { encodeNameCursor } from "../../lib/keyset-cursor.js";
import { useTestApp } from "@test/use-test-app.js";
import { addMember, adminCall, createAccount, expectStatus, listAccounts, type TestAccount } from "@test/accounts-fixtures.js";
import { insertUser, signedIn, signedInWithMfa, type TestUser } from "@test/factories.js";
import { eventsOfType, sessionRowOf } from "@test/inspect.js";

describe("accounts access control", () => {
  const t = useTestApp({}, { scope: "suite" });
  let alice: TestUser;
  let bob: TestUser;
  let aliceAccount: TestAccount;
  let bobAccount: TestAccount;

  beforeAll(async () => {
    alice = await insertUser(t);
    bob = await insertUser(t);
    aliceAccount = await createAccount(t, { name: "Alice Vendor", type: "vendor", groups: ["Users"] });
    bobAccount = await createAccount(t, { name: "Bob Reseller", type: "reseller", groups: ["Users"] });
    await addMember(t, aliceAccount.id, alice.email, [aliceAccount.adminGroupId]);
    await addMember(t, bobAccount.id, bob.email, [bobAccount.adminGroupId]);
  });

  it("G2: swapping account ids between two people is 404 with no hint, and leaks no data", async () => {
    const pairs: Array<[TestUser, TestAccount, TestAccount]> = [
      [alice, aliceAccount, bobAccount],
      [bob, bobAccount, aliceAccount],
    ];
    for (const [user, own, foreign] of pairs) {
      const client = await signedIn(t, user);
      const foreignAnswer = await client.post("/api/v1/me/active-account", { accountId: foreign.id });
      const unknownAnswer = await client.post("/api/v1/me/active-account", { accountId: foreign.id.replace(/\d/g, "0") });
      expect(foreignAnswer.statusCode).toBe(404);
      // Identical to an account that does not exist: no hint that the foreign one does.
      expect(foreignAnswer.json()).toEqual(unknownAnswer.json());
      expect(foreignAnswer.body).not.toContain(foreign.name);
      expect((await sessionRowOf(t, client.sessionToken()))?.activeAccountId).toBeNull();

      // The list shows only the person's own account, whatever the search, filter or cursor says.
      const searches = ["", `?q=${foreign.id}`, `?q=${encodeURIComponent(foreign.name)}`, "?type=vendor", "?type=reseller"];
      for (const query of searches) {
        const list = await listAccounts(client, query);
        expect(
          list.items.every((a) => a.id === own.id),
          query,
        ).toBe(true);
        expect(JSON.stringify(list)).not.toContain(foreign.name);
      }
      const forged = encodeNameCursor({ sortKey: "", id: "" });
      expect((await listAccounts(client, `?cursor=${forged}`)).items.map((a) => a.id)).toEqual([own.id]);
      expect(expectStatus(await client.post("/api/v1/me/active-account", { accountId: own.id }), 200)).toMatchObject({
        accountId: own.id,
      });
    }
  });

  it("G2: a removed member loses the account at once, in every session, and is told why", async () => {
    const carol = await insertUser(t);
    await addMember(t, aliceAccount.id, carol.email, [aliceAccount.groups.Users!]);
    const client = await signedIn(t, carol);
    expectStatus(await client.post("/api/v1/me/active-account", { accountId: aliceAccount.id }), 200);
    expectStatus(await adminCall(t, "DELETE", `/accounts/${aliceAccount.id}/members/${carol.id}`), 204);
    const list = await listAccounts(client);
    expect(list.items).toEqual([]);
    expect(list.notice).toMatchObject({ code: "membership_removed", accountId: aliceAccount.id, accountName: "Alice Vendor" });
    expect((await client.post("/api/v1/me/active-account", { accountId: aliceAccount.id })).statusCode).toBe(404);
  });

  it("G3: tightening the policy moves an existing non-MFA session out at its very next request, and says why", async () => {
    const account = await createAccount(t, {
      name: "Tighten Distribution",
      type: "distributor",
      mfaPolicy: "optional",
      groups: ["Users"],
    });
    const dave = await insertUser(t);
    const erin = await insertUser(t);
    await addMember(t, account.id, dave.email, [account.adminGroupId]);
    await addMember(t, account.id, erin.email, [account.groups.Users!]);
    const daveSession = await signedIn(t, dave);
    const daveOtherSession = await signedIn(t, dave);
    const erinMfaSession = await signedInWithMfa(t, erin);
    for (const client of [daveSession, daveOtherSession, erinMfaSession]) {
      expectStatus(await client.post("/api/v1/me/active-account", { accountId: account.id }), 200);
    }

    expectStatus(await adminCall(t, "PATCH", `/accounts/${account.id}`, { mfaPolicy: "required" }), 200);

    // The very next request, whatever it is, finds the session moved out and says so.
    const next = await daveSession.get("/api/v1/me");
    expect(next.statusCode).toBe(200);
    expect(next.headers["x-account-notice"]).toBe("account_policy_enforced");
    const row = await sessionRowOf(t, daveSession.sessionToken());
    expect(row?.activeAccountId).toBeNull();
    const list = await listAccounts(daveSession);
    expect(list.items.find((a) => a.id === account.id)).toMatchObject({ active: false, compliant: false, mfaPolicy: "required" });
    expect(list.notice).toMatchObject({
      code: "account_policy_enforced",
      accountId: account.id,
      accountName: "Tighten Distribution",
    });
    expect(list.notice?.message).toMatch(/requires multi-factor authentication/);
    // Entering again is refused until MFA is set up.
    expect((await daveSession.post("/api/v1/me/active-account", { accountId: account.id })).json().error.code).toBe(
      "mfa_setup_required",
    );

    // Dave's other session is moved at its own next request; the MFA session stays in.
    expect((await sessionRowOf(t, daveOtherSession.sessionToken()))?.activeAccountId).toBe(account.id);
    await daveOtherSession.get("/api/v1/me/accounts");
    expect((await sessionRowOf(t, daveOtherSession.sessionToken()))?.activeAccountId).toBeNull();
    const erinNext = await erinMfaSession.get("/api/v1/me/accounts");
    expect(erinNext.headers["x-account-notice"]).toBeUndefined();
    expect((await sessionRowOf(t, erinMfaSession.sessionToken()))?.activeAccountId).toBe(account.id);

    const enforced = (await eventsOfType(t, "account_policy_enforced")).filter((e) => e.accountId === account.id);
    expect(enforced.map((e) => e.userId)).toEqual([dave.id, dave.id]);

    // Dismissed, the notice is gone.
    expect((await daveSession.delete("/api/v1/me/accounts/notice")).statusCode).toBe(204);
    expect((await listAccounts(daveSession)).notice).toBeNull();
  });

  it("G3: relaxing the policy or a suggested policy never moves anyone out", async () => {
    const account = await createAccount(t, { name: "Relaxed Reseller", type: "reseller", mfaPolicy: "optional" });
    const frank = await insertUser(t);
    await addMember(t, account.id, frank.email, [account.adminGroupId]);
    const client = await signedIn(t, frank);
    expectStatus(await client.post("/api/v1/me/active-account", { accountId: account.id }), 200);
    expectStatus(await adminCall(t, "PATCH", `/accounts/${account.id}`, { mfaPolicy: "suggested" }), 200);
    const res = await client.get("/api/v1/me/accounts");
    expect(res.headers["x-account-notice"]).toBeUndefined();
    expect((await sessionRowOf(t, client.sessionToken()))?.activeAccountId).toBe(account.id);
  });
});

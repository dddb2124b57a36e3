import { beforeAll, describe, expect, it } from "vitest";
import { activeAccountResponseSchema } from "../../../contracts/accounts.js";
import { useTestApp } from "@test/use-test-app.js";
import { addMember, createAccount, expectStatus, listAccounts, type TestAccount } from "@test/accounts-fixtures.js";
import { enableTotp, insertUser, signedIn, signedInWithMfa, type TestUser } from "@test/factories.js";
import { eventsOfType, sessionRowOf } from "@test/inspect.js";

describe("GET /me/accounts and POST /me/active-account", () => {
  const t = useTestApp({}, { scope: "suite" });
  let person: TestUser;
  let vendor: TestAccount;
  let distributor: TestAccount;
  let reseller: TestAccount;

  beforeAll(async () => {
    person = await insertUser(t);
    vendor = await createAccount(t, { name: "Zeta Vendor", type: "vendor", groups: ["Finance"] });
    distributor = await createAccount(t, {
      name: "alpha Distribution",
      type: "distributor",
      mfaPolicy: "required",
      groups: ["Users"],
    });
    reseller = await createAccount(t, { name: "Mid Reseller", type: "reseller", mfaPolicy: "suggested", groups: ["Users"] });
    await addMember(t, vendor.id, person.email, [vendor.adminGroupId, vendor.groups.Finance!]);
    await addMember(t, distributor.id, person.email, [distributor.groups.Users!]);
    await addMember(t, reseller.id, person.email, [reseller.groups.Users!]);
  });

  it("lists every account with id, type, groups, joinedAt, policy, compliance and active flag, sorted by name", async () => {
    const client = await signedIn(t, person);
    const list = await listAccounts(client);
    expect(list.nextCursor).toBeNull();
    expect(list.notice).toBeNull();
    expect(list.items.map((a) => a.name)).toEqual(["alpha Distribution", "Mid Reseller", "Zeta Vendor"]);
    const zeta = list.items[2]!;
    expect(zeta).toMatchObject({ id: vendor.id, type: "vendor", mfaPolicy: "optional", compliant: true, active: false });
    expect(zeta.groups).toEqual([
      { id: vendor.adminGroupId, name: "Administrators" },
      { id: vendor.groups.Finance, name: "Finance" },
    ]);
    expect(new Date(zeta.joinedAt).getTime()).toBe(t.clock.now());
    // No MFA: not compliant where MFA is required or suggested.
    expect(list.items.map((a) => a.compliant)).toEqual([false, false, true]);
  });

  it("shows each account's groups on pages larger than one group lookup's first batch (9 and 20 accounts)", async () => {
    const member = await insertUser(t);
    const accounts: TestAccount[] = [];
    for (let i = 0; i < 20; i++) {
      const account = await createAccount(t, {
        name: `Batch ${String(i).padStart(2, "0")}`,
        type: "vendor",
        groups: [`Team ${i}`],
      });
      await addMember(t, account.id, member.email, [account.groups[`Team ${i}`]!]);
      accounts.push(account);
    }
    const client = await signedIn(t, member);
    for (const limit of [9, 20]) {
      const list = await listAccounts(client, `?limit=${limit}`);
      expect(list.items.map((a) => a.groups)).toEqual(
        accounts.slice(0, limit).map((account, i) => [{ id: account.groups[`Team ${i}`], name: `Team ${i}` }]),
      );
    }
  });

  it("G2: each account shows the person's own groups only, never another member's", async () => {
    const shared = await createAccount(t, { name: "Shared Vendor", type: "vendor", groups: ["Finance", "Support"] });
    const other = await createAccount(t, { name: "Other Vendor", type: "vendor", groups: ["Ops", "Sales"] });
    const member = await insertUser(t);
    const colleague = await insertUser(t);
    await addMember(t, shared.id, member.email, [shared.groups.Support!]);
    await addMember(t, shared.id, colleague.email, [shared.adminGroupId, shared.groups.Finance!]);
    await addMember(t, other.id, member.email, [other.groups.Sales!]);
    await addMember(t, other.id, colleague.email, [other.groups.Ops!]);
    const list = await listAccounts(await signedIn(t, member));
    expect(list.items.map((a) => [a.name, a.groups])).toEqual([
      ["Other Vendor", [{ id: other.groups.Sales, name: "Sales" }]],
      ["Shared Vendor", [{ id: shared.groups.Support, name: "Support" }]],
    ]);
    const theirs = await listAccounts(await signedIn(t, colleague));
    expect(theirs.items.map((a) => a.groups.map((g) => g.name))).toEqual([["Ops"], ["Administrators", "Finance"]]);
  });

  it("an account where the person is in no group (written before a member needed one) is listed, with no groups", async () => {
    const account = await createAccount(t, { name: "Legacy Vendor", type: "vendor", groups: ["Ops"] });
    const member = await insertUser(t);
    await addMember(t, account.id, member.email, [account.groups.Ops!]);
    await t.app.services.db.deleteFrom("groupMemberships").where("userId", "=", member.id).execute();
    const list = await listAccounts(await signedIn(t, member));
    expect(list.items.map((a) => [a.id, a.groups])).toEqual([[account.id, []]]);
  });

  it("pages with an opaque cursor, filters by type and searches by name or ID", async () => {
    const client = await signedIn(t, person);
    const first = await listAccounts(client, "?limit=2");
    expect(first.items.map((a) => a.name)).toEqual(["alpha Distribution", "Mid Reseller"]);
    const second = await listAccounts(client, `?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.items.map((a) => a.name)).toEqual(["Zeta Vendor"]);
    expect(second.nextCursor).toBeNull();
    expect((await listAccounts(client, "?type=reseller")).items.map((a) => a.id)).toEqual([reseller.id]);
    expect((await listAccounts(client, "?q=ZETA")).items.map((a) => a.id)).toEqual([vendor.id]);
    expect((await listAccounts(client, `?q=${vendor.id.slice(3, 7).toLowerCase()}`)).items.map((a) => a.id)).toContain(vendor.id);
    expect((await listAccounts(client, `?q=${encodeURIComponent(vendor.id.toLowerCase())}`)).items.map((a) => a.id)).toEqual([
      vendor.id,
    ]);
  });

  it("H2: refuses bad list queries with 400 validation_failed", async () => {
    const client = await signedIn(t, person);
    for (const query of [
      "?limit=0",
      "?limit=101",
      "?limit=abc",
      "?type=supplier",
      `?q=${"x".repeat(101)}`,
      "?cursor=%%%",
      "?cursor=eyJ4IjoxfQ",
      "?sort=name",
    ]) {
      const res = await client.get(`/api/v1/me/accounts${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe("validation_failed");
    }
  });

  it("H2/H5: refuses malformed switch bodies with 400 and changes nothing", async () => {
    const client = await signedIn(t, person);
    for (const body of [
      {},
      { accountId: 123 },
      { accountId: [vendor.id] },
      { accountId: "" },
      { accountId: vendor.id, active: true },
    ]) {
      const res = await client.post("/api/v1/me/active-account", body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe("validation_failed");
    }
    expect((await sessionRowOf(t, client.sessionToken()))?.activeAccountId).toBeNull();
  });

  it("H3: %, _ and quote payloads in the search match literally on this database", async () => {
    const h3 = await insertUser(t);
    for (const name of ["100% Sure", "1000 Sure", "a_b Trading", "axb Trading", 'O\'Brien "Quotes" Ltd']) {
      const account = await createAccount(t, { name, type: "reseller" });
      await addMember(t, account.id, h3.email, [account.adminGroupId]);
    }
    const client = await signedIn(t, h3);
    const search = async (q: string) => (await listAccounts(client, `?q=${encodeURIComponent(q)}`)).items.map((a) => a.name);
    expect(await search("%")).toEqual(["100% Sure"]);
    expect(await search("0%")).toEqual(["100% Sure"]);
    expect(await search("a_b")).toEqual(["a_b Trading"]);
    expect(await search("_")).toEqual(["a_b Trading"]);
    expect(await search("\\")).toEqual([]);
    expect(await search("' OR 1=1--")).toEqual([]);
    expect(await search('o\'brien "quotes"')).toEqual(['O\'Brien "Quotes" Ltd']);
    expect(await search("%' OR '1'='1")).toEqual([]);
    expect((await search("")).length).toBe(5);
  });

  it("switches to an optional account; the list marks it active and an event is recorded", async () => {
    const client = await signedIn(t, person);
    const res = activeAccountResponseSchema.parse(
      expectStatus(await client.post("/api/v1/me/active-account", { accountId: vendor.id }), 200),
    );
    expect(res).toEqual({ accountId: vendor.id, name: "Zeta Vendor", mfaPolicy: "optional", nudge: null });
    expect((await sessionRowOf(t, client.sessionToken()))?.activeAccountId).toBe(vendor.id);
    expect((await listAccounts(client)).items.filter((a) => a.active).map((a) => a.id)).toEqual([vendor.id]);
    const event = (await eventsOfType(t, "account_switched")).at(-1);
    expect(event).toMatchObject({ userId: person.id, accountId: vendor.id, result: "success" });
  });

  it("a suggested policy lets the person in with a nudge to set up MFA", async () => {
    const client = await signedIn(t, person);
    const res = expectStatus(await client.post("/api/v1/me/active-account", { accountId: reseller.id }), 200);
    expect(res).toMatchObject({ accountId: reseller.id, mfaPolicy: "suggested", nudge: "set_up_mfa" });
  });

  it("B1: a required policy without MFA is 403 mfa_setup_required and the session keeps its account", async () => {
    const client = await signedIn(t, person);
    await client.post("/api/v1/me/active-account", { accountId: vendor.id });
    const res = await client.post("/api/v1/me/active-account", { accountId: distributor.id });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({
      code: "mfa_setup_required",
      details: { accountId: distributor.id, mfaEnabled: false },
    });
    expect((await sessionRowOf(t, client.sessionToken()))?.activeAccountId).toBe(vendor.id);
    const refused = (await eventsOfType(t, "account_switched")).at(-1);
    expect(refused).toMatchObject({ accountId: distributor.id, result: "failure" });
  });

  it("B1: a required policy admits a session that used MFA; a member of an optional account is unaffected", async () => {
    const other = await insertUser(t);
    await addMember(t, distributor.id, other.email, [distributor.groups.Users!]);
    const client = await signedInWithMfa(t, other);
    const res = expectStatus(await client.post("/api/v1/me/active-account", { accountId: distributor.id }), 200);
    expect(res).toMatchObject({ accountId: distributor.id, mfaPolicy: "required", nudge: null });
    expect((await listAccounts(client)).items[0]).toMatchObject({ id: distributor.id, compliant: true, active: true });
  });

  it("B1: MFA that is on but was not used in this session is not enough for a required account", async () => {
    const late = await insertUser(t);
    await addMember(t, distributor.id, late.email, [distributor.groups.Users!]);
    const client = await signedIn(t, late);
    // MFA turned on after this session signed in (e.g. from another device).
    await enableTotp(t, late.id);
    const res = await client.post("/api/v1/me/active-account", { accountId: distributor.id });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: "mfa_setup_required", details: { mfaEnabled: true } });
  });

  it("a notice can be dismissed; unauthenticated calls are 401", async () => {
    const client = await signedIn(t, person);
    expect((await client.delete("/api/v1/me/accounts/notice")).statusCode).toBe(204);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/me/accounts" })).statusCode).toBe(401);
    const anonymous = t.client();
    expect((await anonymous.post("/api/v1/me/active-account", { accountId: vendor.id })).statusCode).toBe(401);
  });
});

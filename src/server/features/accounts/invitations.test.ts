import { beforeAll, describe, expect, it } from "vitest";
import {
  acceptInvitationResponseSchema,
  invitationPreviewSchema,
  myAccountsResponseSchema,
} from "../../../contracts/accounts.js";
import { adminAccountDetailSchema } from "../../../contracts/admin.js";
import { useTestApp } from "@test/use-test-app.js";
import { adminCall, createAccount, expectStatus, type TestAccount } from "@test/accounts-fixtures.js";
import { insertUser, signedIn } from "@test/factories.js";
import { dumpDatabase, eventsOfType } from "@test/inspect.js";

const PASSWORD = "lantern quiver 83 saffron tundra";

describe("invitations", () => {
  const t = useTestApp({ PUBLIC_URL: "http://localhost:3000" }, { scope: "suite" });
  let account: TestAccount;

  beforeAll(async () => {
    account = await createAccount(t, { name: "Invite & Co <Reseller>", type: "reseller", groups: ["Users", "Finance"] });
  });

  /** Invites an email and returns the token from the link in the (new) mail it received. */
  async function invite(email: string, groupIds = [account.groups.Users!]): Promise<string> {
    await t.app.services.mailer.deliverDueMail();
    const before = new Set(t.mails().map((m) => m.raw));
    const res = expectStatus(await adminCall(t, "POST", `/accounts/${account.id}/members`, { email, groupIds }), 201);
    expect(res).toMatchObject({ status: "invited", userId: null, email, expiresAt: expect.any(String) });
    await t.app.services.mailer.deliverDueMail();
    // Outbox files of the same (fake) millisecond sort randomly: take the one that is new.
    const mail = t.mails().find((m) => m.to.includes(email) && !before.has(m.raw));
    const raw = (mail?.raw ?? "").replace(/=\r?\n/g, "").replace(/=3D/g, "=");
    const match = /http:\/\/localhost:3000\/invitations\/accept\?token=([\w-]+)/.exec(raw);
    if (!match?.[1]) throw new Error(`no invitation link in the mail to ${email}`);
    return match[1];
  }

  it("the preview names the account, the address and the groups without using the link; a used link is invalid_token", async () => {
    const email = "preview@example.test";
    const token = await invite(email, [account.groups.Users!, account.groups.Finance!]);
    const client = t.client();
    const preview = invitationPreviewSchema.parse(
      expectStatus(await client.get(`/api/v1/auth/invitations/preview?token=${encodeURIComponent(token)}`), 200),
    );
    expect(preview).toMatchObject({
      accountId: account.id,
      accountName: "Invite & Co <Reseller>",
      accountType: "reseller",
      email,
      invitedBy: null,
    });
    expect([...preview.groups].sort()).toEqual(["Finance", "Users"]);
    // Previewing twice still leaves the link usable, and the new person starts in the zone sent.
    expectStatus(await client.get(`/api/v1/auth/invitations/preview?token=${encodeURIComponent(token)}`), 200);
    const accepted = acceptInvitationResponseSchema.parse(
      expectStatus(
        await client.post("/api/v1/auth/invitations/accept", {
          token,
          firstName: "Pia",
          lastName: "Preview",
          password: PASSWORD,
          timezone: "Australia/Sydney",
        }),
        200,
      ),
    );
    expect(accepted.status === "authenticated" && accepted.user.timezone).toBe("Australia/Sydney");
    const used = await t.client().get(`/api/v1/auth/invitations/preview?token=${encodeURIComponent(token)}`);
    expect(used.statusCode).toBe(400);
    expect(used.json().error.code).toBe("invalid_token");
    const forged = await t.client().get("/api/v1/auth/invitations/preview?token=not-a-real-token");
    expect(forged.json().error.code).toBe("invalid_token");
  });

  it("an unknown email is invited, accepts from the mail, is signed in and has the account", async () => {
    const email = "newcomer@example.test";
    const token = await invite(email, [account.groups.Users!, account.groups.Finance!]);
    const mail = t.mails().find((m) => m.to.includes(email));
    expect(mail?.subject).toContain("Invite & Co <Reseller>");
    // The raw token is only in the mail; the database holds its hash (and the mail body is erased once sent).
    expect(await dumpDatabase(t)).not.toContain(token);
    const detail = adminAccountDetailSchema.parse(expectStatus(await adminCall(t, "GET", `/accounts/${account.id}`), 200));
    expect(detail.pendingInvitations).toEqual([expect.objectContaining({ email })]);

    const client = t.client();
    const res = await client.post("/api/v1/auth/invitations/accept", {
      token,
      firstName: "Nia",
      lastName: "Newcomer",
      password: PASSWORD,
    });
    const body = acceptInvitationResponseSchema.parse(expectStatus(res, 200));
    expect(body.status).toBe("authenticated");
    if (body.status !== "authenticated") return;
    expect(body.user).toMatchObject({ email, firstName: "Nia", lastName: "Newcomer", mfaEnabled: false });
    expect(body.user.id).toMatch(/^UR-\d{3}-\d{3}-\d{3}$/);
    expect(client.sessionToken()).toBeDefined();
    const cookie = res.cookies.find((c) => c.name === "pc_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", maxAge: t.config.sessionMaxHours * 3600 });

    const list = myAccountsResponseSchema.parse(expectStatus(await client.get("/api/v1/me/accounts"), 200));
    expect(list.items).toEqual([
      expect.objectContaining({
        id: account.id,
        groups: [
          { id: account.groups.Finance, name: "Finance" },
          { id: account.groups.Users, name: "Users" },
        ],
      }),
    ]);
    for (const type of ["invitation_accepted", "membership_added"]) {
      expect((await eventsOfType(t, type)).filter((e) => e.userId === body.user.id && e.accountId === account.id)).toHaveLength(
        1,
      );
    }
    expect(await eventsOfType(t, "invitation_created")).not.toHaveLength(0);
    // The chosen password signs in.
    await signedIn(t, { email, password: PASSWORD });
    const after = adminAccountDetailSchema.parse(expectStatus(await adminCall(t, "GET", `/accounts/${account.id}`), 200));
    expect(after.pendingInvitations).toEqual([]);
  });

  it("the invitation link works once", async () => {
    const token = await invite("once@example.test");
    const body = { token, firstName: "Ola", lastName: "Once", password: PASSWORD };
    expectStatus(await t.client().post("/api/v1/auth/invitations/accept", body), 200);
    const again = await t.client().post("/api/v1/auth/invitations/accept", body);
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe("invalid_token");
    expect(again.cookies.find((c) => c.name === "pc_session")).toBeUndefined();
  });

  it("the invitation link expires after 7 days", async () => {
    const token = await invite("late@example.test");
    t.clock.advance(7 * 24 * 3_600_000 + 1);
    const res = await t
      .client()
      .post("/api/v1/auth/invitations/accept", { token, firstName: "Lee", lastName: "Late", password: PASSWORD });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("invalid_token");
    const users = await t.app.services.db.selectFrom("users").select("id").where("email", "=", "late@example.test").execute();
    expect(users).toEqual([]);
  });

  it("a new invitation replaces the older link; unknown tokens are invalid_token", async () => {
    const old = await invite("twice@example.test");
    const fresh = await invite("twice@example.test");
    const client = t.client();
    const body = { firstName: "Tia", lastName: "Twice", password: PASSWORD };
    expect((await client.post("/api/v1/auth/invitations/accept", { ...body, token: old })).json().error.code).toBe(
      "invalid_token",
    );
    expect((await client.post("/api/v1/auth/invitations/accept", { ...body, token: "x".repeat(43) })).json().error.code).toBe(
      "invalid_token",
    );
    expectStatus(await client.post("/api/v1/auth/invitations/accept", { ...body, token: fresh }), 200);
  });

  it("A5: a weak password is refused with its reason and does not use up the link", async () => {
    const token = await invite("weak@example.test");
    const client = t.client();
    const weak = await client.post("/api/v1/auth/invitations/accept", {
      token,
      firstName: "Wes",
      lastName: "Weak",
      password: "passwordpassword",
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: "weak_password", details: { reason: expect.any(String) } });
    const bad = await client.post("/api/v1/auth/invitations/accept", {
      token,
      firstName: "",
      lastName: "Weak",
      password: PASSWORD,
    });
    expect(bad.json().error).toMatchObject({ code: "validation_failed", details: { fields: { firstName: expect.any(String) } } });
    expectStatus(
      await client.post("/api/v1/auth/invitations/accept", { token, firstName: "Wes", lastName: "Weak", password: PASSWORD }),
      200,
    );
  });

  it("an email that became a user meanwhile joins, but the link never signs into that existing profile", async () => {
    const token = await invite("meanwhile@example.test");
    const existing = await insertUser(t, { email: "meanwhile@example.test" });
    const res = await t
      .client()
      .post("/api/v1/auth/invitations/accept", { token, firstName: "X", lastName: "Y", password: PASSWORD });
    expect(expectStatus(res, 200)).toEqual({ status: "sign_in_required", email: "meanwhile@example.test" });
    expect(res.cookies.find((c) => c.name === "pc_session")).toBeUndefined();
    const member = await t.app.services.db
      .selectFrom("accountMemberships")
      .selectAll()
      .where("userId", "=", existing.id)
      .where("accountId", "=", account.id)
      .executeTakeFirst();
    expect(member).toBeDefined();
    // Their own password still works; the invitation's did not replace it.
    await signedIn(t, existing);
  });
});

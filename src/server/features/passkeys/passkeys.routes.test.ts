import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, signedInPerson, signIn } from "@test/factories.js";
import { expectMailedTo } from "@test/expectations.js";
import { eventsOf, sessionRowOf } from "@test/inspect.js";
import { createSoftAuthenticator, FLAGS, GOOGLE_PM_AAGUID } from "@test/soft-authenticator.js";
import { addPasskey, registrationOptions, signInOptions, signInWithPasskey } from "@test/passkey-fixtures.js";

async function passkeyRows(t: ReturnType<typeof useTestApp>, userId: string) {
  return t.app.services.db.selectFrom("passkeys").selectAll().where("userId", "=", userId).execute();
}

describe("passkeys: adding, listing, renaming, removing", () => {
  const t = useTestApp();

  it("registration options ask for a discoverable credential with user verification, for PUBLIC_URL's host", async () => {
    const { client } = await signedInPerson(t);
    const options = await registrationOptions(client);
    expect(options.rp.id).toBe("localhost");
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    expect(options.user.name).toContain("@");
    expect(options.user.id).not.toContain("UR-");
  });

  it("adds a passkey named after its authenticator, lists it, marks MFA on and mails the person", async () => {
    const { user, client } = await signedInPerson(t);
    const authenticator = createSoftAuthenticator({ aaguid: GOOGLE_PM_AAGUID, extraFlags: FLAGS.BE | FLAGS.BS });
    const { passkey } = await addPasskey(t, client, authenticator);
    expect(passkey).toMatchObject({
      name: "Google Password Manager",
      authenticator: "Google Password Manager",
      backedUp: true,
      lastUsedAt: null,
    });
    const list = await client.get("/api/v1/me/passkeys");
    expect(list.json()).toEqual({ items: [passkey], nextCursor: null, tryPasskeyHint: false });
    expect((await client.get("/api/v1/me")).json()).toMatchObject({ mfaEnabled: true });
    expect((await client.get("/api/v1/me/mfa")).json()).toMatchObject({ passkeys: 1, totp: { enabled: false } });
    expect(await eventsOf(t, user.id, "passkey_added")).toHaveLength(1);
    await expectMailedTo(t, user.email, [/A passkey was added/]);
    // The session that added it used the authenticator's verification: it counts as MFA.
    expect(await sessionRowOf(t, client.sessionToken())).toMatchObject({ mfaVerified: 1 });
  });

  it("a name given at registration is kept; 'Passkey' when the authenticator is unknown", async () => {
    const { client } = await signedInPerson(t);
    const named = await addPasskey(t, client, createSoftAuthenticator(), "Work laptop");
    expect(named.passkey.name).toBe("Work laptop");
    const unnamed = await addPasskey(t, client, createSoftAuthenticator());
    expect(unnamed.passkey.name).toBe("Passkey");
  });

  it("renames and removes (sensitive: a stale session must re-authenticate first)", async () => {
    const { user, client } = await signedInPerson(t);
    const { passkey } = await addPasskey(t, client);
    const renamed = await client.patch(`/api/v1/me/passkeys/${passkey.id}`, { name: "Phone" });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ id: passkey.id, name: "Phone" });
    const control = await client.patch(`/api/v1/me/passkeys/${passkey.id}`, { name: "bad\u0007name" });
    expect(control.statusCode).toBe(400);

    t.clock.advance(t.config.reauthMaxAgeMinutes * 60_000 + 1000);
    const stale = await client.delete(`/api/v1/me/passkeys/${passkey.id}`);
    expect(stale.statusCode).toBe(401);
    expect(stale.json()).toMatchObject({ error: { code: "reauthentication_required" } });
    expect(await passkeyRows(t, user.id)).toHaveLength(1);

    const reauth = await client.post("/api/v1/auth/reauthenticate", { password: user.password });
    // The person's only second factor is the passkey: the password alone is one factor, not enough.
    expect(reauth.statusCode, reauth.body).toBe(401);
    expect(reauth.json()).toMatchObject({ error: { code: "reauthentication_required", details: { passkeyRequired: true } } });
  });

  it("someone else's passkey is 404 to rename or remove", async () => {
    const a = await signedInPerson(t);
    const b = await signedInPerson(t);
    const { passkey } = await addPasskey(t, a.client);
    expect((await b.client.patch(`/api/v1/me/passkeys/${passkey.id}`, { name: "Mine" })).statusCode).toBe(404);
    expect((await b.client.delete(`/api/v1/me/passkeys/${passkey.id}`)).statusCode).toBe(404);
    expect(await passkeyRows(t, a.user.id)).toHaveLength(1);
  });
});

describe("passkeys: signing in", () => {
  const t = useTestApp();

  it("signs in with no password: a new session counted as MFA, with the sign-in methods recorded", async () => {
    const { user, client } = await signedInPerson(t);
    const { authenticator } = await addPasskey(t, client);
    const browser = t.client();
    const options = await signInOptions(browser);
    expect(options).toMatchObject({ rpId: "localhost", userVerification: "required", allowCredentials: [] });
    const res = await browser.post("/api/v1/auth/passkey", { response: authenticator.get(options) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: "authenticated", user: { email: user.email, mfaEnabled: true } });
    const row = await sessionRowOf(t, browser.sessionToken());
    expect(row).toMatchObject({ mfaVerified: 1, mfaPending: 0, authMethods: "hwk user mfa" });
    const sessions = await browser.get("/api/v1/me/sessions");
    expect((sessions.json() as { items: Array<{ current: boolean; mfa: boolean }> }).items.find((s) => s.current)?.mfa).toBe(
      true,
    );
    const rows = await passkeyRows(t, user.id);
    expect(rows[0]?.lastUsedAt).not.toBeNull();
    expect(Number(rows[0]?.counter)).toBe(1);
  });

  it("a synced passkey is recorded as a software key (swk)", async () => {
    const { client } = await signedInPerson(t);
    const { authenticator } = await addPasskey(t, client, createSoftAuthenticator({ extraFlags: FLAGS.BE | FLAGS.BS }));
    const browser = t.client();
    expect((await signInWithPasskey(browser, authenticator)).statusCode).toBe(200);
    expect(await sessionRowOf(t, browser.sessionToken())).toMatchObject({ authMethods: "swk user mfa" });
  });

  it("a password sign-in of a person with a passkey asks for the second step, which the passkey completes", async () => {
    const { user, client } = await signedInPerson(t);
    const { authenticator, credential } = await addPasskey(t, client);
    const browser = t.client();
    const first = await signIn(browser, user);
    expect(first.json()).toEqual({ status: "mfa_required", methods: ["passkey"] });
    const options = await signInOptions(browser);
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([credential.id.toString("base64url")]);
    const pendingId = (await sessionRowOf(t, browser.sessionToken()))?.id;
    const res = await browser.post("/api/v1/auth/passkey", { response: authenticator.get(options) });
    expect(res.statusCode, res.body).toBe(200);
    const row = await sessionRowOf(t, browser.sessionToken());
    expect(row).toMatchObject({ id: pendingId, mfaPending: 0, mfaVerified: 1, authMethods: "pwd hwk user mfa" });
  });

  it("the second step refuses another person's passkey", async () => {
    const a = await signedInPerson(t);
    await addPasskey(t, a.client);
    const b = await signedInPerson(t);
    const { authenticator: bKey } = await addPasskey(t, b.client);
    const browser = t.client();
    expect((await signIn(browser, a.user)).json()).toMatchObject({ status: "mfa_required" });
    const res = await signInWithPasskey(browser, bKey);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: "invalid_credentials" } });
    expect(await sessionRowOf(t, browser.sessionToken())).toMatchObject({ mfaPending: 1 });
  });

  it("re-authenticates with a passkey instead of the password", async () => {
    const { user, client } = await signedInPerson(t);
    const { authenticator, passkey } = await addPasskey(t, client);
    t.clock.advance(t.config.reauthMaxAgeMinutes * 60_000 + 1000);
    expect((await client.delete(`/api/v1/me/passkeys/${passkey.id}`)).statusCode).toBe(401);
    const options = await signInOptions(client);
    const reauth = await client.post("/api/v1/auth/reauthenticate", { passkey: authenticator.get(options) });
    expect(reauth.statusCode, reauth.body).toBe(204);
    const removed = await client.delete(`/api/v1/me/passkeys/${passkey.id}`);
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await passkeyRows(t, user.id)).toHaveLength(0);
    expect(await eventsOf(t, user.id, "passkey_removed")).toHaveLength(1);
    expect((await client.get("/api/v1/me")).json()).toMatchObject({ mfaEnabled: false });
  });

  it("C11: with a passkey as the only second factor, a stale session's password alone neither changes the password nor deletes", async () => {
    const { user, client } = await signedInPerson(t);
    const { authenticator } = await addPasskey(t, client);
    t.clock.advance(t.config.reauthMaxAgeMinutes * 60_000 + 1000);
    const change = { currentPassword: user.password, newPassword: "an entirely new passphrase 77", signOutOtherSessions: false };
    const removal = { password: user.password, confirmEmail: user.email };
    for (const refused of [await client.post("/api/v1/me/password", change), await client.delete("/api/v1/me", removal)]) {
      expect(refused.statusCode, refused.body).toBe(401);
      expect(refused.json().error).toMatchObject({ code: "reauthentication_required", details: { passkeyRequired: true } });
    }
    expect((await signIn(t.client(), user)).json()).toMatchObject({ status: "mfa_required" }); // the password is unchanged
    // Confirmed with the passkey, the same requests pass.
    const reauth = await client.post("/api/v1/auth/reauthenticate", { passkey: authenticator.get(await signInOptions(client)) });
    expect(reauth.statusCode, reauth.body).toBe(204);
    const changed = await client.post("/api/v1/me/password", change);
    expect(changed.statusCode, changed.body).toBe(204);
    const deleted = await client.delete("/api/v1/me", { password: change.newPassword, confirmEmail: user.email });
    expect(deleted.statusCode, deleted.body).toBe(204);
  });

  it("re-authentication refuses another person's passkey, or one without a challenge of this session: 401, still stale", async () => {
    const { client, user } = await signedInPerson(t);
    await addPasskey(t, client);
    const other = await signedInPerson(t);
    const { authenticator: otherKey } = await addPasskey(t, other.client);
    t.clock.advance(t.config.reauthMaxAgeMinutes * 60_000 + 1000);
    const foreign = await client.post("/api/v1/auth/reauthenticate", { passkey: otherKey.get(await signInOptions(client)) });
    expect(foreign.statusCode).toBe(401);
    expect(foreign.json()).toMatchObject({ error: { code: "invalid_credentials" } });
    const noChallenge = await client.post("/api/v1/auth/reauthenticate", {
      passkey: otherKey.get({ challenge: "AAAAAAAAAAAAAAAAAAAAAA", rpId: "localhost" }),
    });
    expect(noChallenge.statusCode).toBe(401);
    expect((await client.post("/api/v1/me/passkeys/registration/options")).statusCode).toBe(401);
    expect(await eventsOf(t, user.id, "authn_reauthenticate")).toEqual(
      expect.arrayContaining([expect.objectContaining({ result: "failure" })]),
    );
  });

  it("after signing out, the passkey signs in again with nothing typed (usernameless)", async () => {
    const user = await insertUser(t);
    const { client } = await signedInPerson(t, { user: { email: `x-${user.email}` } });
    const { authenticator } = await addPasskey(t, client);
    await client.post("/api/v1/auth/logout");
    const res = await signInWithPasskey(t.client(), authenticator);
    expect(res.statusCode).toBe(200);
  });
});

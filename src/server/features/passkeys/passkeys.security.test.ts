import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { secondNode } from "@test/create-test-app.js";
import { enrollTotp, nextCode, signedInPerson, signIn } from "@test/factories.js";
import { accountThrottleOf, eventsOf, sessionRowOf } from "@test/inspect.js";
import { expectMailedTo } from "@test/expectations.js";
import { addMember, createAccount } from "@test/accounts-fixtures.js";
import { createSoftAuthenticator, FLAGS } from "@test/soft-authenticator.js";
import { addPasskey, registrationOptions, signInOptions, signInWithPasskey } from "@test/passkey-fixtures.js";
import type { TestClient } from "@test/test-client.js";

type T = ReturnType<typeof useTestApp>;

async function counts(t: T) {
  const db = t.app.services.db;
  const n = async (table: "passkeys" | "sessions") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string | number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { passkeys: await n("passkeys"), sessions: await n("sessions") };
}

/** A person with one passkey, and a fresh browser with no session. */
async function personWithPasskey(t: T) {
  const person = await signedInPerson(t);
  const added = await addPasskey(t, person.client);
  return { ...person, ...added, browser: t.client({ ip: "198.51.100.7" }) };
}

async function expectRefusedSignIn(t: T, browser: TestClient, response: unknown) {
  const before = await counts(t);
  const res = await browser.post("/api/v1/auth/passkey", { response });
  expect(res.statusCode, res.body).toBe(401);
  expect(res.json()).toMatchObject({ error: { code: "invalid_credentials" } });
  expect(browser.sessionToken()).toBeUndefined();
  expect(await counts(t)).toEqual(before);
}

describe("passkey sign-in refuses bad assertions: 401 invalid_credentials, nothing changed", () => {
  const t = useTestApp();

  it("a response made for another challenge (an older one of the same browser)", async () => {
    const { authenticator, browser } = await personWithPasskey(t);
    const old = await signInOptions(browser);
    await signInOptions(browser); // replaces the first
    await expectRefusedSignIn(t, browser, authenticator.get(old));
  });

  it("a response to a challenge another browser asked for", async () => {
    const { authenticator, browser } = await personWithPasskey(t);
    const elsewhere = await signInOptions(t.client());
    await signInOptions(browser);
    await expectRefusedSignIn(t, browser, authenticator.get(elsewhere));
  });

  it("a replayed assertion: the challenge is single-use", async () => {
    const { authenticator, browser } = await personWithPasskey(t);
    const assertion = authenticator.get(await signInOptions(browser));
    expect((await browser.post("/api/v1/auth/passkey", { response: assertion })).statusCode).toBe(200);
    const attacker = t.client();
    await signInOptions(attacker);
    await expectRefusedSignIn(t, attacker, assertion);
    // Even from the same browser, once more.
    const again = await browser.post("/api/v1/auth/passkey", { response: assertion });
    expect(again.statusCode).toBe(401);
  });

  it("an expired challenge (after 5 minutes)", async () => {
    const { authenticator, browser } = await personWithPasskey(t);
    const options = await signInOptions(browser);
    t.clock.advance(5 * 60_000 + 1);
    await expectRefusedSignIn(t, browser, authenticator.get(options));
  });

  it("a wrong origin, or a wrong RP id", async () => {
    const { authenticator, browser } = await personWithPasskey(t);
    await expectRefusedSignIn(t, browser, authenticator.get(await signInOptions(browser), { origin: "https://evil.example" }));
    await expectRefusedSignIn(t, browser, authenticator.get(await signInOptions(browser), { rpId: "evil.example" }));
  });

  it("an unknown credential, a bad signature, no user verification", async () => {
    const { authenticator, browser } = await personWithPasskey(t);
    const stranger = createSoftAuthenticator();
    stranger.create({ challenge: "x", rp: { id: "localhost" }, user: { id: "AAAA" } });
    await expectRefusedSignIn(t, browser, stranger.get(await signInOptions(browser)));
    await expectRefusedSignIn(t, browser, authenticator.get(await signInOptions(browser), { badSignature: true }));
    await expectRefusedSignIn(t, browser, authenticator.get(await signInOptions(browser), { flags: FLAGS.UP }));
  });

  it("a removed passkey no longer signs in", async () => {
    const { authenticator, passkey, client, browser } = await personWithPasskey(t);
    expect((await client.delete(`/api/v1/me/passkeys/${passkey.id}`)).statusCode).toBe(204);
    await expectRefusedSignIn(t, browser, authenticator.get(await signInOptions(browser)));
  });

  it("clone detection: a signature counter that does not move forward is refused", async () => {
    const { authenticator, credential, user, browser } = await personWithPasskey(t);
    expect((await signInWithPasskey(browser, authenticator)).statusCode).toBe(200);
    credential.counter = 0; // a copy of the key that has not seen the last use
    const copy = t.client();
    await expectRefusedSignIn(t, copy, authenticator.get(await signInOptions(copy)));
    const failures = await eventsOf(t, user.id, "authn_login_fail");
    expect(failures.some((e) => String(e.details).includes("counter_not_increased"))).toBe(true);
  });

  it("an authenticator that keeps no counter (always 0) is accepted", async () => {
    const person = await signedInPerson(t);
    const { authenticator } = await addPasskey(t, person.client, createSoftAuthenticator({ counterStep: 0 }));
    expect((await signInWithPasskey(t.client(), authenticator)).statusCode).toBe(200);
    expect((await signInWithPasskey(t.client(), authenticator)).statusCode).toBe(200);
  });

  it("malformed bodies are 400 validation_failed, never 500", async () => {
    const { browser } = await personWithPasskey(t);
    await signInOptions(browser);
    for (const body of [
      {},
      { response: {} },
      { response: { id: "!!", rawId: "x", type: "public-key", response: {}, clientExtensionResults: {} } },
      { response: "nope" },
    ]) {
      const res = await browser.post("/api/v1/auth/passkey", body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: "validation_failed" } });
    }
    const garbage = await browser.post("/api/v1/auth/passkey", {
      response: {
        id: "AAAA",
        rawId: "AAAA",
        type: "public-key",
        response: { clientDataJSON: "AAAA", authenticatorData: "AAAA", signature: "AAAA" },
        clientExtensionResults: {},
      },
    });
    expect(garbage.statusCode).toBe(401);
  });

  it("passkey failures count on the password throttles: after repeated failures even a good assertion gets 429", async () => {
    const { authenticator, user, browser } = await personWithPasskey(t);
    for (let i = 0; i < 5; i++) {
      const res = await browser.post("/api/v1/auth/passkey", {
        response: authenticator.get(await signInOptions(browser), { badSignature: true }),
      });
      expect([401, 429]).toContain(res.statusCode);
    }
    expect((await accountThrottleOf(t, user.email))?.failures).toBeGreaterThanOrEqual(5);
    const good = await browser.post("/api/v1/auth/passkey", { response: authenticator.get(await signInOptions(browser)) });
    expect(good.statusCode).toBe(429);
    expect(good.headers["retry-after"]).toBeDefined();
  });
});

describe("passkey challenges live in the database (several nodes)", () => {
  const t = useTestApp();

  it("options from one node, the assertion on another; the same assertion raced on both nodes passes once", async () => {
    const { authenticator } = await personWithPasskey(t);
    const node = await secondNode(t);
    try {
      const browser = t.client();
      const options = await signInOptions(browser);
      const onB = node.client();
      for (const [name, value] of browser.cookies) onB.cookies.set(name, value);
      const res = await onB.post("/api/v1/auth/passkey", { response: authenticator.get(options) });
      expect(res.statusCode, res.body).toBe(200);

      const racer = t.client();
      const raceOptions = await signInOptions(racer);
      const twin = node.client();
      for (const [name, value] of racer.cookies) twin.cookies.set(name, value);
      const assertion = authenticator.get(raceOptions);
      const answers = await Promise.all([
        racer.post("/api/v1/auth/passkey", { response: assertion }),
        twin.post("/api/v1/auth/passkey", { response: assertion }),
      ]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401]);
    } finally {
      await node.close();
    }
  });
});

describe("passkey registration refuses bad attestations: 400 invalid_passkey, nothing stored", () => {
  const t = useTestApp();

  async function expectRefusedRegistration(client: TestClient, response: unknown) {
    const before = await counts(t);
    const res = await client.post("/api/v1/me/passkeys", { response });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: "invalid_passkey" } });
    expect((await counts(t)).passkeys).toBe(before.passkeys);
  }

  it("accepts a packed self-attestation", async () => {
    const { client } = await signedInPerson(t);
    const options = await registrationOptions(client);
    const { response } = createSoftAuthenticator().create(options, { fmt: "packed" });
    expect((await client.post("/api/v1/me/passkeys", { response })).statusCode).toBe(201);
  });

  it("a packed attestation with a bad signature, garbage, no UV, wrong origin, wrong RP id, wrong type", async () => {
    const { client } = await signedInPerson(t);
    const a = createSoftAuthenticator();
    await expectRefusedRegistration(
      client,
      a.create(await registrationOptions(client), { fmt: "packed", badSignature: true }).response,
    );
    const garbled = a.create(await registrationOptions(client)).response;
    garbled.response.attestationObject = Buffer.from("not cbor at all").toString("base64url");
    await expectRefusedRegistration(client, garbled);
    await expectRefusedRegistration(client, a.create(await registrationOptions(client), { flags: FLAGS.UP | FLAGS.AT }).response);
    await expectRefusedRegistration(
      client,
      a.create(await registrationOptions(client), { origin: "http://127.0.0.1:3000" }).response,
    );
    await expectRefusedRegistration(client, a.create(await registrationOptions(client), { rpId: "example.com" }).response);
    await expectRefusedRegistration(client, a.create(await registrationOptions(client), { clientType: "webauthn.get" }).response);
  });

  it("a response without options first, for another challenge, or replayed", async () => {
    const { client } = await signedInPerson(t);
    const a = createSoftAuthenticator();
    const options = await registrationOptions(client);
    await registrationOptions(client); // replaces it
    await expectRefusedRegistration(client, a.create(options).response);
    const fresh = a.create(await registrationOptions(client)).response;
    expect((await client.post("/api/v1/me/passkeys", { response: fresh })).statusCode).toBe(201);
    await expectRefusedRegistration(client, fresh);
  });

  it("another person's registration challenge is no use", async () => {
    const a = await signedInPerson(t);
    const b = await signedInPerson(t);
    const optionsOfA = await registrationOptions(a.client);
    await expectRefusedRegistration(b.client, createSoftAuthenticator().create(optionsOfA).response);
  });

  it("a credential already registered is refused", async () => {
    const { client } = await signedInPerson(t);
    const a = createSoftAuthenticator();
    const first = a.create(await registrationOptions(client)).response;
    expect((await client.post("/api/v1/me/passkeys", { response: first })).statusCode).toBe(201);
    const options = await registrationOptions(client);
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual([first.id]);
    const dup = a.create(options).response;
    // Same credential id as the first one, answering the new challenge.
    const replayed = { ...first, response: { ...first.response, clientDataJSON: dup.response.clientDataJSON } };
    await expectRefusedRegistration(client, replayed);
  });
});

describe("passkeys and the MFA rules", () => {
  const t = useTestApp();

  it("a person with a passkey and no authenticator app complies with a required account and enters it", async () => {
    const { user, client } = await signedInPerson(t);
    const account = await createAccount(t, { name: "Strict Co", mfaPolicy: "required" });
    await addMember(t, account.id, user.email, [account.adminGroupId]);
    const refused = await client.post("/api/v1/me/active-account", { accountId: account.id });
    expect(refused.statusCode).toBe(403);
    const { authenticator } = await addPasskey(t, client);
    const browser = t.client();
    expect((await signInWithPasskey(browser, authenticator)).statusCode).toBe(200);
    const list = (await browser.get("/api/v1/me/accounts")).json() as { items: Array<{ id: string; compliant: boolean }> };
    expect(list.items.find((a) => a.id === account.id)?.compliant).toBe(true);
    const entered = await browser.post("/api/v1/me/active-account", { accountId: account.id });
    expect(entered.statusCode, entered.body).toBe(200);
  });

  it("removing the last second factor is refused while an account requires MFA; another factor left, it is allowed", async () => {
    const { user, client } = await signedInPerson(t);
    const account = await createAccount(t, { name: "Strict Two", mfaPolicy: "required" });
    await addMember(t, account.id, user.email, [account.adminGroupId]);
    const { passkey } = await addPasskey(t, client);
    const refused = await client.delete(`/api/v1/me/passkeys/${passkey.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: { code: "mfa_required_by_account", details: { accounts: [{ id: account.id }] } },
    });
    expect(await eventsOf(t, user.id, "passkey_removed")).toHaveLength(0);
    const second = await addPasskey(t, client);
    expect((await client.delete(`/api/v1/me/passkeys/${passkey.id}`)).statusCode).toBe(204);
    expect((await client.delete(`/api/v1/me/passkeys/${second.passkey.id}`)).statusCode).toBe(409);
  });

  it("the authenticator app can be turned off while a passkey keeps a required account compliant", async () => {
    const { user, client, enrollment } = await signedInPerson(t, { mfa: true });
    const account = await createAccount(t, { name: "Strict Three", mfaPolicy: "required" });
    await addMember(t, account.id, user.email, [account.adminGroupId]);
    const refused = await client.delete("/api/v1/me/mfa/totp", { code: nextCode(t, enrollment!.secret) });
    expect(refused.statusCode).toBe(409);
    await addPasskey(t, client);
    const off = await client.delete("/api/v1/me/mfa/totp", { code: nextCode(t, enrollment!.secret) });
    expect(off.statusCode, off.body).toBe(204);
    expect((await client.get("/api/v1/me/mfa")).json()).toMatchObject({ totp: { enabled: false }, passkeys: 1 });
    expect((await client.get("/api/v1/me")).json()).toMatchObject({ mfaEnabled: true });
    // The session keeps the MFA it proved, so it stays able to enter the account.
    expect((await client.post("/api/v1/me/active-account", { accountId: account.id })).statusCode).toBe(200);
    // The notice says the passkey still protects the sign-in, not that the password alone now does.
    const mails = await expectMailedTo(t, user.email, ["Your authenticator app was removed from your Profile Center login"]);
    const notice = mails.find((m) => m.subject.startsWith("Your authenticator app was removed"))!.raw.replace(/=\r?\n/g, "");
    expect(notice).toContain("passkey still protects");
    expect(notice).not.toContain("needs only your password");
  });

  it("a person with both gets both methods offered at the second step, and either works", async () => {
    const { user, client } = await signedInPerson(t);
    const enrollment = await enrollTotp(t, client);
    const { authenticator } = await addPasskey(t, client);
    const browser = t.client();
    expect((await signIn(browser, user)).json()).toEqual({
      status: "mfa_required",
      methods: ["totp", "recovery_code", "passkey"],
    });
    expect((await signInWithPasskey(browser, authenticator)).statusCode).toBe(200);
    const other = t.client();
    await signIn(other, user);
    const code = await other.post("/api/v1/auth/login/mfa", { code: nextCode(t, enrollment.secret) });
    expect(code.statusCode).toBe(200);
    expect(await sessionRowOf(t, other.sessionToken())).toMatchObject({ authMethods: "pwd otp mfa" });
  });

  it("the operator's MFA reset can remove every passkey (repo: deleteAllForUser, countForUser)", async () => {
    const { user, client } = await signedInPerson(t);
    await addPasskey(t, client);
    await addPasskey(t, client);
    const repo = t.app.services.passkeyRows;
    expect(await repo.countForUser(user.id)).toBe(2);
    expect(await repo.deleteAllForUser(user.id)).toBe(2);
    expect(await repo.countForUser(user.id)).toBe(0);
  });

  it("registration options are a sensitive call: a stale session must re-authenticate", async () => {
    const { user, client } = await signedInPerson(t);
    t.clock.advance(t.config.reauthMaxAgeMinutes * 60_000 + 1000);
    const stale = await client.post("/api/v1/me/passkeys/registration/options");
    expect(stale.statusCode).toBe(401);
    expect(stale.json()).toMatchObject({ error: { code: "reauthentication_required" } });
    const withPassword = await client.post("/api/v1/me/passkeys/registration/options", { password: user.password });
    expect(withPassword.statusCode, withPassword.body).toBe(200);
  });
});

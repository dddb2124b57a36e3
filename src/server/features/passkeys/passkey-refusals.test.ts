import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { signedInPerson } from "@test/factories.js";
import { eventsOf } from "@test/inspect.js";
import { adminCall } from "@test/accounts-fixtures.js";
import { addPasskey, signInWithPasskey } from "@test/passkey-fixtures.js";
import { createLockdownLinks } from "../lockdown/lockdown-links.js";

describe("a right passkey meets the same refusals as a right password", () => {
  const t = useTestApp();

  async function personWithPasskey() {
    const person = await signedInPerson(t);
    const added = await addPasskey(t, person.client);
    return { ...person, ...added };
  }

  it("a person an operator disabled: 401 account_disabled, no session, the refusal recorded", async () => {
    const { user, authenticator } = await personWithPasskey();
    expect((await adminCall(t, "PATCH", `/users/${user.id}`, { status: "disabled" })).statusCode).toBe(200);
    const browser = t.client({ ip: "198.51.100.20" });
    const res = await signInWithPasskey(browser, authenticator);
    expect(res.statusCode, res.body).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: "account_disabled" } });
    expect(browser.sessionToken()).toBeUndefined();
    const failures = await eventsOf(t, user.id, "authn_login_fail");
    expect(failures.map((e) => JSON.parse(e.details) as { reason?: string }).at(-1)).toMatchObject({
      reason: "account_disabled",
    });

    expect((await adminCall(t, "PATCH", `/users/${user.id}`, { status: "active" })).statusCode).toBe(200);
    expect((await signInWithPasskey(browser, authenticator)).statusCode).toBe(200);
  });

  it('after "This wasn\'t me": 401 password_reset_required until the password is reset', async () => {
    const { user, authenticator } = await personWithPasskey();
    const s = t.app.services;
    const links = createLockdownLinks({ tokens: s.tokens, clock: s.clock, publicUrl: s.config.publicUrl });
    const url = await s.db.transaction().execute((trx) => links.issueLockdownUrl(trx, { userId: user.id, sentTo: user.email }));
    const token = new URL(url).searchParams.get("token") ?? "";
    expect((await t.client().post("/api/v1/auth/lockdown", { token })).statusCode).toBe(204);

    const browser = t.client({ ip: "198.51.100.21" });
    const res = await signInWithPasskey(browser, authenticator);
    expect(res.statusCode, res.body).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: "password_reset_required" } });
    expect(browser.sessionToken()).toBeUndefined();
  });
});

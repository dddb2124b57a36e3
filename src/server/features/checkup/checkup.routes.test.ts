import { afterEach, describe, expect, it } from "vitest";
import { checkupResponseSchema, type CheckupItemDto } from "../../../contracts/checkup.js";
import { createTestApp, type OwnedTestApp } from "@test/create-test-app.js";
import { useTestApp } from "@test/use-test-app.js";
import type { TestClient } from "@test/test-client.js";
import { addMember, createAccount } from "@test/accounts-fixtures.js";
import { buildTestGeoipDb, TEST_GEOIP } from "@test/geoip-fixture.js";
import { enrollTotp, insertUser, openSession, sessionRow } from "@test/factories.js";
import { linkTokensFromMail } from "@test/inspect.js";

const CHECKUP = "/api/v1/me/checkup";

async function checkup(client: TestClient): Promise<Record<string, CheckupItemDto>> {
  const res = await client.get(CHECKUP);
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries(checkupResponseSchema.parse(res.json()).items.map((i) => [i.id, i]));
}

describe("GET /api/v1/me/checkup", () => {
  const t = useTestApp();

  it("a new person: two-step sign-in to turn on, no passkey, address not confirmed; the rest ok", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    const items = await checkup(client);
    expect(Object.fromEntries(Object.entries(items).map(([id, i]) => [id, i.status]))).toEqual({
      second_factor: "action",
      recovery_codes: "ok",
      passkey: "warning",
      account_mfa_policy: "ok",
      email_verified: "warning",
      stale_sessions: "ok",
      new_countries: "ok",
      connected_apps: "ok",
    });
    expect(items.second_factor?.href).toBe("/profile/security");
    expect(items.email_verified?.href).toBe("/profile/general");
  });

  it("second factor and recovery codes: ok with an authenticator and 10 codes, warning under 3, action at 0", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    await enrollTotp(t, client);
    let items = await checkup(client);
    expect(items.second_factor).toMatchObject({ status: "ok", detail: "1 method: an authenticator app." });
    expect(items.recovery_codes).toMatchObject({ status: "ok", detail: "10 recovery codes left." });
    const codes = await t.app.services.db.selectFrom("recoveryCodes").select("id").where("userId", "=", user.id).execute();
    const use = (ids: string[]) =>
      t.app.services.db.updateTable("recoveryCodes").set({ usedAt: t.clock.now() }).where("id", "in", ids).execute();
    await use(codes.slice(0, 8).map((c) => c.id));
    items = await checkup(client);
    expect(items.recovery_codes?.status).toBe("warning");
    await use(codes.slice(8).map((c) => c.id));
    expect((await checkup(client)).recovery_codes?.status).toBe("action");
  });

  it("account MFA policy: action for a required account, warning for a suggested one, ok once MFA is on", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    const suggested = await createAccount(t, { name: "Suggesting Ltd", mfaPolicy: "suggested" });
    await addMember(t, suggested.id, user.email, [suggested.adminGroupId]);
    expect((await checkup(client)).account_mfa_policy).toMatchObject({
      status: "warning",
      detail: "Suggesting Ltd recommends it.",
    });
    const required = await createAccount(t, { name: "Strict GmbH", mfaPolicy: "required" });
    await addMember(t, required.id, user.email, [required.adminGroupId]);
    expect((await checkup(client)).account_mfa_policy?.status).toBe("action");
    await enrollTotp(t, client);
    expect((await checkup(client)).account_mfa_policy?.status).toBe("ok");
  });

  it("email verified: a link mailed to the address, opened on /confirm-email, makes it ok", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    const requested = await client.post("/api/v1/me/email-verification");
    expect(requested.statusCode).toBe(202);
    expect(requested.json()).toEqual({ sentTo: user.email });
    const [token] = await linkTokensFromMail(t, user.email, "/confirm-email");
    expect((await checkup(client)).email_verified?.status).toBe("warning");
    const confirmed = await t.client().post("/api/v1/me/email-change/confirm", { token });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().email).toBe(user.email);
    expect((await checkup(client)).email_verified?.status).toBe("ok");
    const again = await t.client().post("/api/v1/me/email-change/confirm", { token });
    expect(again.json().error.code).toBe("invalid_token");
  });

  it("stale sessions: ok while every live session was used in the last 30 days", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    await openSession(t, user.id);
    expect((await checkup(client)).stale_sessions).toMatchObject({ status: "ok", href: "/profile/sessions" });
  });

  it("answers 401 without a session", async () => {
    expect((await t.client().get(CHECKUP)).statusCode).toBe(401);
  });
});

describe("GET /api/v1/me/checkup with GEOIP_DB: sign-ins from new countries", () => {
  let t: OwnedTestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("warns about a country of the last 30 days not seen before, and is ok for a known one", async () => {
    const app = (t = await createTestApp({ GEOIP_DB: buildTestGeoipDb() }));
    const user = await insertUser(app);
    const db = app.app.services.db;
    const longAgo = app.clock.now() - 60 * 24 * 3_600_000;
    await db
      .insertInto("sessions")
      .values(
        sessionRow({
          userId: user.id,
          ip: TEST_GEOIP.berlin.ip,
          createdAt: longAgo,
          lastSeenAt: longAgo,
          expiresAt: longAgo,
          endedAt: longAgo,
          endReason: "expired",
        }),
      )
      .execute();
    const { client } = await openSession(app, user.id, { ip: TEST_GEOIP.berlin.ip });
    const ok = await checkup(client);
    expect(ok.new_countries?.status).toBe("ok");
    await openSession(app, user.id, { ip: TEST_GEOIP.paris.ip });
    const warned = await checkup(client);
    expect(warned.new_countries).toMatchObject({ status: "warning", href: "/profile/sessions" });
    expect(warned.new_countries?.detail).toContain("France");
  });
});

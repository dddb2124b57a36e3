import { describe, expect, it } from "vitest";
import { adminClientSchema, adminCreatedClientSchema } from "../../../contracts/sso.js";
import { useTestApp } from "@test/use-test-app.js";
import { adminCall, expectStatus } from "@test/accounts-fixtures.js";
import { signedIn, insertUser } from "@test/factories.js";

const t = useTestApp();

describe("operator API: single sign-on clients", () => {
  it("creates (secret shown once, stored hashed), lists, reads, changes, rotates the secret and deletes", async () => {
    const created = adminCreatedClientSchema.parse(
      expectStatus(
        await adminCall(t, "POST", "/clients", {
          name: "Portal",
          redirectUris: ["https://portal.example/callback"],
          backchannelLogoutUri: "http://10.1.2.3/logout",
        }),
        201,
      ),
    );
    expect(created.clientSecret).toEqual(expect.any(String));
    const stored = await t.app.services.oidcClients.find(created.clientId);
    expect(JSON.stringify(stored)).not.toContain(created.clientSecret!);
    const listed = expectStatus<{ items: unknown[] }>(await adminCall(t, "GET", "/clients"), 200);
    expect(listed.items).toHaveLength(1);
    const read = adminClientSchema.parse(expectStatus(await adminCall(t, "GET", `/clients/${created.clientId}`), 200));
    expect(read).not.toHaveProperty("clientSecret");
    const patched = expectStatus(
      await adminCall(t, "PATCH", `/clients/${created.clientId}`, { requireMfa: true, name: "Portal 2" }),
      200,
    );
    expect(patched).toMatchObject({ requireMfa: true, name: "Portal 2" });
    const rotated = expectStatus<{ clientSecret: string }>(
      await adminCall(t, "POST", `/clients/${created.clientId}/secret`),
      200,
    );
    expect(rotated.clientSecret).not.toBe(created.clientSecret);
    expectStatus(await adminCall(t, "DELETE", `/clients/${created.clientId}`), 204);
    expectStatus(await adminCall(t, "GET", `/clients/${created.clientId}`), 404);
  });

  it("refuses bad input with the envelope (never a 500) and a public client has no secret", async () => {
    const bad = await adminCall(t, "POST", "/clients", { name: "X", redirectUris: ["javascript:alert(1)"] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: "validation_failed" } });
    expect((await adminCall(t, "POST", "/clients", { name: "X", redirectUris: [] })).statusCode).toBe(400);
    expect((await adminCall(t, "POST", "/clients", { name: "X", redirectUris: ["https://a.example/cb#frag"] })).statusCode).toBe(
      400,
    );
    const pub = expectStatus<{ clientId: string; clientSecret?: string }>(
      await adminCall(t, "POST", "/clients", { name: "SPA", redirectUris: ["https://spa.example/cb"], public: true }),
      201,
    );
    expect(pub.clientSecret).toBeUndefined();
    expect((await adminCall(t, "POST", `/clients/${pub.clientId}/secret`)).statusCode).toBe(409);
    expect((await adminCall(t, "PATCH", "/clients/pc-nobody", { name: "Y" })).statusCode).toBe(404);
  });

  it("needs the operator token: a signed-in person's session does not count", async () => {
    const browser = await signedIn(t, await insertUser(t));
    expect((await browser.get("/api/v1/admin/clients")).statusCode).toBe(401);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/admin/clients" })).statusCode).toBe(401);
  });

  it("provider answers carry the security headers; an unknown /oidc path is a 404 envelope", async () => {
    const discovery = await t.app.inject({ method: "GET", url: "/.well-known/openid-configuration" });
    expect(discovery.headers["x-content-type-options"]).toBe("nosniff");
    expect(String(discovery.headers["content-security-policy"])).toContain("frame-ancestors 'none'");
    const interaction = await t.app.inject({ method: "GET", url: "/oidc/interaction/not-a-real-one" });
    expect(interaction.statusCode).toBe(400);
    expect(interaction.headers["x-frame-options"]).toBe("DENY");
    expect(interaction.headers["cache-control"]).toBe("no-store");
    const unknown = await t.app.inject({ method: "GET", url: "/oidc/nothing-here" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("the hourly pruning removes expired provider state", async () => {
    const { oidcState } = t.app.services;
    await oidcState.upsert("Interaction", "old", "{}", {
      grantId: null,
      uid: "u1",
      accountId: null,
      clientId: null,
      sessionId: null,
      expiresAt: t.clock.now() - 1000,
    });
    await oidcState.upsert("Interaction", "new", "{}", {
      grantId: null,
      uid: "u2",
      accountId: null,
      clientId: null,
      sessionId: null,
      expiresAt: t.clock.now() + 60_000,
    });
    await t.app.services.sso.prune();
    expect(await oidcState.find("Interaction", "old")).toBeUndefined();
    expect(await oidcState.find("Interaction", "new")).toBeDefined();
  });
});

import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, signedIn } from "@test/factories.js";
import { discover, registerClient, signInToClient } from "./sso.test-support.js";

const t = useTestApp();

describe("OpenID Provider: discovery and the code flow (openid-client)", () => {
  it("publishes discovery on the issuer (PUBLIC_URL) with code + S256 only and the logout flags", async () => {
    const response = await t.app.inject({ method: "GET", url: "/.well-known/openid-configuration" });
    expect(response.statusCode, response.body).toBe(200);
    const meta = response.json() as Record<string, unknown>;
    expect(meta.issuer).toBe(t.config.publicUrl);
    expect(meta.response_types_supported).toEqual(["code"]);
    expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
    expect(meta.backchannel_logout_supported).toBe(true);
    expect(meta.backchannel_logout_session_supported).toBe(true);
    expect(meta.authorization_response_iss_parameter_supported).toBe(true);
    expect(meta.acr_values_supported).toEqual(["pwd", "mfa"]);
    expect(meta.scopes_supported).toEqual(
      expect.arrayContaining(["openid", "profile", "email", "phone", "accounts", "offline_access"]),
    );
    for (const key of [
      "authorization_endpoint",
      "token_endpoint",
      "userinfo_endpoint",
      "jwks_uri",
      "end_session_endpoint",
      "revocation_endpoint",
      "introspection_endpoint",
    ]) {
      expect(new URL(String(meta[key])).origin, key).toBe(new URL(t.config.publicUrl).origin);
    }
    expect(meta.registration_endpoint).toBeUndefined();
  });

  it("signs a signed-in person in: code + PKCE, a valid ID token (sub, sid, auth_time, acr, amr), userinfo", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const client = await registerClient(t);
    const config = await discover(t, client);
    const { tokens, callback } = await signInToClient(t, browser, config);
    expect(callback.searchParams.get("iss")).toBe(t.config.publicUrl);
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(user.id);
    expect(claims.iss).toBe(t.config.publicUrl);
    expect(claims.sid).toEqual(expect.any(String));
    expect(claims.auth_time).toEqual(expect.any(Number));
    expect(claims.acr).toBe("pwd");
    expect(claims.amr).toEqual(["pwd"]);
    expect(tokens.expires_in).toBeLessThanOrEqual(600);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
    expect(info).toMatchObject({ sub: user.id, email: user.email, given_name: user.firstName, family_name: user.lastName });
  });

  it("the Sessions page shows which apps signed in through each session; Connected apps lists the app", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const other = await signedIn(t, user);
    const client = await registerClient(t);
    await signInToClient(t, browser, await discover(t, client), { scope: "openid email" });
    const sessions = (await other.get("/api/v1/me/sessions")).json() as { items: Array<{ current: boolean; apps: unknown[] }> };
    expect(sessions.items.find((s) => !s.current)?.apps).toEqual([{ clientId: client.clientId, name: "Portal" }]);
    expect(sessions.items.find((s) => s.current)?.apps).toEqual([]);
    const current = (await browser.get("/api/v1/me/sessions/current")).json() as { apps: unknown[] };
    expect(current.apps).toEqual([{ clientId: client.clientId, name: "Portal" }]);
    const apps = (await browser.get("/api/v1/me/apps")).json() as { items: Array<Record<string, unknown>> };
    expect(apps.items).toEqual([
      {
        clientId: client.clientId,
        name: "Portal",
        scopes: ["openid", "email"],
        firstAuthorizedAt: expect.any(String),
        lastUsedAt: expect.any(String),
      },
    ]);
  });
});

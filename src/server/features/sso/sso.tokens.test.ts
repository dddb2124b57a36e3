import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, signedIn } from "@test/factories.js";
import {
  authorizationRequest,
  discover,
  follow,
  injectFetch,
  REDIRECT_URI,
  registerClient,
  signInToClient,
} from "./sso.test-support.js";

const t = useTestApp();

async function signedInToPortal(scope = "openid profile email offline_access") {
  const user = await insertUser(t);
  const browser = await signedIn(t, user);
  const client = await registerClient(t);
  const config = await discover(t, client);
  const { tokens } = await signInToClient(t, browser, config, { scope, prompt: "consent" });
  return { user, browser, client, config, tokens };
}

/** Raw token endpoint call (form POST with HTTP Basic), as a relying party would make it. */
async function tokenCall(
  client: { clientId: string; clientSecret?: string | undefined },
  form: Record<string, string>,
  secret = client.clientSecret,
) {
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(secret ?? "")}`).toString("base64");
  const response = await t.app.inject({
    method: "POST",
    url: "/oidc/token",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
    payload: new URLSearchParams(form).toString(),
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

describe("tokens: refresh rotation, introspection, revocation", () => {
  it("rotates refresh tokens; a reused one fails and revokes the whole grant", async () => {
    const { config, tokens } = await signedInToPortal();
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const second = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(second.refresh_token).not.toBe(tokens.refresh_token);
    expect(second.claims()?.amr).toEqual(["pwd"]);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    // The reuse revoked the grant: the rotated token and its access token stop working too.
    await expect(oidc.refreshTokenGrant(config, second.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    const introspected = await oidc.tokenIntrospection(config, second.access_token);
    expect(introspected.active).toBe(false);
  });

  it("introspects an access token for its client (active, sub, scope, exp ≤ 10 min) and revokes it", async () => {
    const { user, config, tokens } = await signedInToPortal("openid email");
    const info = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(info).toMatchObject({ active: true, sub: user.id, client_id: config.clientMetadata().client_id });
    expect(info.scope?.split(" ")).toEqual(expect.arrayContaining(["openid", "email"]));
    expect(Number(info.exp) - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(600);
    await oidc.tokenRevocation(config, tokens.access_token);
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    await expect(oidc.fetchUserInfo(config, tokens.access_token, user.id)).rejects.toBeDefined();
  });

  it("a confidential client may authenticate in the form body (client_secret_post) as well as with Basic", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const client = await registerClient(t);
    const { tokens } = await signInToClient(t, browser, await discover(t, client, "post"));
    expect(tokens.claims()?.sub).toBe(user.id);
  });

  it("does not let another client introspect a client's token", async () => {
    const { tokens } = await signedInToPortal("openid");
    const other = await registerClient(t, { name: "Other" });
    const otherConfig = await discover(t, other);
    expect((await oidc.tokenIntrospection(otherConfig, tokens.access_token)).active).toBe(false);
  });

  it("does not let another client revoke a client's token (it stays usable)", async () => {
    const { user, config, tokens } = await signedInToPortal("openid");
    const other = await registerClient(t, { name: "Other" });
    await oidc.tokenRevocation(await discover(t, other), tokens.access_token).catch(() => undefined);
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);
    await expect(oidc.fetchUserInfo(config, tokens.access_token, user.id)).resolves.toMatchObject({ sub: user.id });
  });
});

describe("bad input: the OAuth error the specs name, never a 500, nothing issued", () => {
  it("a code works once; the second use fails and revokes what the first issued", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const client = await registerClient(t);
    const config = await discover(t, client);
    const request = await authorizationRequest(config, { scope: "openid offline_access", prompt: "consent" });
    const landed = await follow(t, browser, request.url);
    const code = landed.url.searchParams.get("code")!;
    const form = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: request.verifier };
    const first = await tokenCall(client, form);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const again = await tokenCall(client, form);
    expect(again).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect((await oidc.tokenIntrospection(config, String(first.body.access_token))).active).toBe(false);
    const refresh = await tokenCall(client, { grant_type: "refresh_token", refresh_token: String(first.body.refresh_token) });
    expect(refresh).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("an expired code (older than 60 s) is invalid_grant", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const client = await registerClient(t);
    const config = await discover(t, client);
    const request = await authorizationRequest(config);
    const code = (await follow(t, browser, request.url)).url.searchParams.get("code")!;
    t.clock.advance(61_000);
    const form = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: request.verifier };
    expect(await tokenCall(client, form)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("wrong PKCE verifier, missing verifier, wrong secret, unknown client, wrong redirect_uri", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const client = await registerClient(t);
    const config = await discover(t, client);
    const request = await authorizationRequest(config);
    const code = (await follow(t, browser, request.url)).url.searchParams.get("code")!;
    const base = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI };
    expect(await tokenCall(client, { ...base, code_verifier: "x".repeat(43) })).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });

    const request2 = await authorizationRequest(config);
    const code2 = (await follow(t, browser, request2.url)).url.searchParams.get("code")!;
    expect(await tokenCall(client, { ...base, code: code2 })).toMatchObject({ status: 400, body: { error: "invalid_grant" } });

    const request3 = await authorizationRequest(config);
    const code3 = (await follow(t, browser, request3.url)).url.searchParams.get("code")!;
    const good = { ...base, code: code3, code_verifier: request3.verifier };
    expect(await tokenCall(client, good, "not-the-secret")).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(await tokenCall({ clientId: "pc-unknown", clientSecret: "x" }, good)).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
    expect(await tokenCall(client, { ...good, redirect_uri: "https://rp.example.test/other" })).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });

  it("never redirects to an unregistered redirect_uri or for an unknown client; answers unknown scope with invalid_scope", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const client = await registerClient(t);
    const config = await discover(t, client);
    const evil = await authorizationRequest(config, { redirect_uri: "https://evil.example.test/cb" });
    const refused = await browser.get(`${evil.url.pathname}${evil.url.search}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.headers.location).toBeUndefined();
    const unknown = new URL(evil.url);
    unknown.searchParams.set("client_id", "pc-nobody");
    unknown.searchParams.set("redirect_uri", REDIRECT_URI);
    const refusedClient = await browser.get(`${unknown.pathname}${unknown.search}`);
    expect(refusedClient.statusCode).toBe(400);
    expect(refusedClient.headers.location).toBeUndefined();
    const badScope = await authorizationRequest(config, { scope: "openid everything" });
    const landed = await follow(t, browser, badScope.url);
    expect(landed.url.searchParams.get("error")).toBe("invalid_scope");
    expect(landed.url.searchParams.get("iss")).toBe(t.config.publicUrl);
    expect(landed.url.searchParams.get("state")).toBe(badScope.state);
  });

  it("refuses response types other than code, and a public client without PKCE", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const client = await registerClient(t, { public: true });
    const config = await discover(t, client, "none");
    const implicit = await authorizationRequest(config, { response_type: "id_token token" });
    const landed = await follow(t, browser, implicit.url);
    expect(landed.url.href).toMatch(/error=unsupported_response_type/);
    expect(landed.url.href).not.toMatch(/code=|access_token=|id_token=/);
    const noPkce = await authorizationRequest(config);
    noPkce.url.searchParams.delete("code_challenge");
    noPkce.url.searchParams.delete("code_challenge_method");
    const refused = await follow(t, browser, noPkce.url);
    expect(refused.url.searchParams.get("error")).toBe("invalid_request");
    expect(refused.url.searchParams.get("code")).toBeNull();
  });

  it("a malformed token request is an OAuth error, not a 500", async () => {
    const client = await registerClient(t);
    expect(await tokenCall(client, { grant_type: "password", username: "a", password: "b" })).toMatchObject({
      status: 400,
      body: { error: "unsupported_grant_type" },
    });
    const garbage = await t.app.inject({
      method: "POST",
      url: "/oidc/token",
      headers: { "content-type": "application/json" },
      payload: "{nope",
    });
    expect(garbage.statusCode).toBeGreaterThanOrEqual(400);
    expect(garbage.statusCode).toBeLessThan(500);
    void injectFetch;
  });
});

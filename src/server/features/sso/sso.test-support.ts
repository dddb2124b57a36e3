import * as oidc from "openid-client";
import type { TestApp } from "@test/create-test-app.js";
import type { TestClient } from "@test/test-client.js";
import type { ClientInput } from "./sso-clients.service.js";

/*
 * A standard relying party (openid-client) against the real app: its HTTP calls go through
 * `app.inject()` (customFetch), and a browser is a TestClient following redirects on our origin.
 */

export const REDIRECT_URI = "https://rp.example.test/callback";

/** A confidential client registered through the service the admin API and CLI use. */
export async function registerClient(t: TestApp, input: Partial<ClientInput> = {}) {
  return t.app.services.sso.clients.create({ name: "Portal", redirectUris: [REDIRECT_URI], ...input });
}

/** `fetch` for openid-client that answers from the app in-process. */
export function injectFetch(t: TestApp, calls?: string[]): oidc.CustomFetch {
  return async (url, options) => {
    const target = new URL(url);
    calls?.push(`${options.method} ${target.pathname}`);
    const headers: Record<string, string> = {};
    new Headers(options.headers).forEach((value, key) => (headers[key] = value));
    const response = await t.app.inject({
      method: options.method as "GET",
      url: `${target.pathname}${target.search}`,
      headers,
      ...(options.body ? { payload: String(options.body) } : {}),
    });
    const out = new Headers();
    for (const [key, value] of Object.entries(response.headers)) {
      if (Array.isArray(value)) for (const v of value) out.append(key, v);
      else if (value !== undefined) out.set(key, String(value));
    }
    const status = response.statusCode;
    return new Response(status === 204 || status === 304 ? null : new Uint8Array(response.rawPayload), { status, headers: out });
  };
}

/** Discovery by openid-client for the client (secret: client_secret_basic unless told otherwise). */
export async function discover(
  t: TestApp,
  client: { clientId: string; clientSecret?: string | undefined },
  auth: "basic" | "post" | "none" = client.clientSecret ? "basic" : "none",
) {
  const method =
    auth === "none"
      ? oidc.None()
      : auth === "post"
        ? oidc.ClientSecretPost(client.clientSecret!)
        : oidc.ClientSecretBasic(client.clientSecret!);
  const config = await oidc.discovery(new URL(t.config.publicUrl), client.clientId, undefined, method, {
    execute: [oidc.allowInsecureRequests],
    [oidc.customFetch]: injectFetch(t),
  });
  return config;
}

/** An authorization request with PKCE (S256), state and nonce. */
export async function authorizationRequest(config: oidc.Configuration, params: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: "openid profile email",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...params,
  });
  return { url, verifier, state, nonce };
}

/**
 * Follows redirects on our origin as a browser would, until one leaves it (the client's redirect
 * URI) or lands on a web page (`/login`, `/sso/…`); returns that URL and the last answer.
 */
export async function follow(t: TestApp, browser: TestClient, start: string | URL) {
  const origin = new URL(t.config.publicUrl).origin;
  let url = new URL(start, origin);
  for (let hops = 0; hops < 15; hops++) {
    if (url.origin !== origin) return { url, status: 303 };
    const path = `${url.pathname}${url.search}`;
    if (!path.startsWith("/oidc/") && !path.startsWith("/.well-known/")) return { url, status: 200 };
    const response = await browser.get(path);
    const location = response.headers.location;
    if (response.statusCode < 300 || response.statusCode >= 400 || typeof location !== "string") {
      return { url, status: response.statusCode, body: response.body };
    }
    url = new URL(location, url);
  }
  throw new Error("too many redirects");
}

/** Authorizes in the browser and exchanges the code: the token set (fails when no code came back). */
export async function signInToClient(
  t: TestApp,
  browser: TestClient,
  config: oidc.Configuration,
  params: Record<string, string> = {},
) {
  const request = await authorizationRequest(config, params);
  const landed = await follow(t, browser, request.url);
  if (landed.url.origin === new URL(t.config.publicUrl).origin) {
    throw new Error(`no code: stopped at ${landed.url.href} (${landed.status}) ${landed.body ?? ""}`);
  }
  const tokens = await oidc.authorizationCodeGrant(config, landed.url, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: true,
  });
  return { tokens, request, callback: landed.url };
}

// A tiny relying party: "the platform's portal" signing its users in through Profile Center
// with a standard OpenID Connect library (openid-client). `npm run demo:portal`, then open
// http://127.0.0.1:3001. It reads the demo client from DATA_DIR/demo-portal.json (written by the
// demo workspace), or PORTAL_ISSUER / PORTAL_CLIENT_ID / PORTAL_CLIENT_SECRET.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import * as oidc from "openid-client";

const file = path.join(process.env.DATA_DIR ?? "./data", "demo-portal.json");
const saved = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
const issuer = process.env.PORTAL_ISSUER ?? saved.issuer ?? "http://localhost:3000";
const clientId = process.env.PORTAL_CLIENT_ID ?? saved.clientId;
const clientSecret = process.env.PORTAL_CLIENT_SECRET ?? saved.clientSecret;
if (!clientId) throw new Error(`No client: start Profile Center with the demo workspace (npm start) or set PORTAL_CLIENT_ID`);

const here = "http://127.0.0.1:3001";
const config = await oidc.discovery(new URL(issuer), clientId, clientSecret, undefined, {
  execute: issuer.startsWith("http:") ? [oidc.allowInsecureRequests] : [],
});
const pending = new Map(); // state -> PKCE verifier and nonce of a sign-in in progress
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (body) => `<!doctype html><meta charset="utf-8"><title>Demo portal</title><h1>Demo portal</h1>${body}`;

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, here);
    try {
      if (url.pathname === "/login") {
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        pending.set(state, { verifier, nonce });
        const target = oidc.buildAuthorizationUrl(config, {
          redirect_uri: `${here}/callback`,
          scope: "openid profile email accounts",
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: "S256",
          state,
          nonce,
          ...(url.searchParams.get("account") ? { account: url.searchParams.get("account") } : {}),
        });
        res.writeHead(302, { location: target.href }).end();
      } else if (url.pathname === "/callback") {
        const state = url.searchParams.get("state");
        const { verifier, nonce } = pending.get(state) ?? {};
        pending.delete(state);
        const tokens = await oidc.authorizationCodeGrant(config, url, {
          pkceCodeVerifier: verifier,
          expectedState: state,
          expectedNonce: nonce,
        });
        const claims = tokens.claims();
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        console.log("ID token claims:", claims);
        console.log("userinfo:", info);
        const logout = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: `${here}/` });
        res.writeHead(200, { "content-type": "text/html" }).end(
          page(`<p>Signed in as ${escape(info.name ?? claims.sub)}.</p>
<h2>ID token</h2><pre>${escape(JSON.stringify(claims, null, 2))}</pre>
<h2>userinfo</h2><pre>${escape(JSON.stringify(info, null, 2))}</pre><p><a href="${escape(logout.href)}">Sign out</a></p>`),
        );
      } else if (url.pathname === "/backchannel-logout" && req.method === "POST") {
        let body = "";
        for await (const chunk of req) body += chunk;
        const token = new URLSearchParams(body).get("logout_token") ?? "";
        const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString() || "{}");
        // A real portal verifies the token (signature with the issuer's JWKS, iss, aud, events) and ends its session for `sid`.
        console.log(`back-channel logout: sub ${payload.sub}, sid ${payload.sid}`);
        res.writeHead(200).end();
      } else {
        res.writeHead(200, { "content-type": "text/html" }).end(page(`<p><a href="/login">Sign in with Profile Center</a></p>`));
      }
    } catch (error) {
      console.error(error);
      res.writeHead(500, { "content-type": "text/html" }).end(page(`<p>Sign-in failed: ${escape(error.message)}</p>`));
    }
  })
  .listen(3001, "127.0.0.1", () => console.log(`Demo portal at ${here} (issuer ${issuer}, client ${clientId})`));

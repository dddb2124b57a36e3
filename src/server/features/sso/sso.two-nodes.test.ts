import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { secondNode } from "@test/create-test-app.js";
import { TEST_DIALECT } from "@test/database.js";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, signedIn } from "@test/factories.js";
import { authorizationRequest, discover, follow, REDIRECT_URI, registerClient, signInToClient } from "./sso.test-support.js";

const t = useTestApp();
let nodeB: Awaited<ReturnType<typeof secondNode>> | undefined;
afterEach(async () => {
  await nodeB?.close();
  nodeB = undefined;
});

/**
 * Two nodes on one database (PostgreSQL under TEST_DB=postgres, as operators run several):
 * the provider's state and keys are in the database, so a code issued by one is redeemed on the
 * other, exactly once.
 */
describe("single sign-on across two nodes", () => {
  it("a code issued by node A is redeemed once, racing on A and B; both publish the same keys", async () => {
    nodeB = await secondNode(t);
    const b = nodeB;
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const client = await registerClient(t);
    const config = await discover(t, client);
    const request = await authorizationRequest(config, { scope: "openid offline_access", prompt: "consent" });
    const code = (await follow(t, browser, request.url)).url.searchParams.get("code")!;
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64");
    const exchange = (app: typeof t.app) =>
      app.inject({
        method: "POST",
        url: "/oidc/token",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
        payload: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: REDIRECT_URI,
          code_verifier: request.verifier,
        }).toString(),
      });
    const answers = await Promise.all([exchange(b.app), exchange(t.app), exchange(b.app)]);
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(2);
    for (const a of answers.filter((x) => x.statusCode === 400)) expect(a.json()).toMatchObject({ error: "invalid_grant" });
    // Both nodes publish the same keys.
    const jwksA = (await t.app.inject({ method: "GET", url: "/oidc/jwks" })).json() as unknown;
    const jwksB = (await b.app.inject({ method: "GET", url: "/oidc/jwks" })).json() as unknown;
    expect(jwksB).toEqual(jwksA);
  });

  it("a person signed in on node A passes straight through node B's authorization endpoint", async () => {
    nodeB = await secondNode(t);
    const user = await insertUser(t);
    const onA = await signedIn(t, user);
    const config = await discover(t, await registerClient(t));
    const request = await authorizationRequest(config, { prompt: "none" });
    const onB = nodeB.client();
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    const response = await onB.get(`${request.url.pathname}${request.url.search}`);
    expect(response.statusCode).toBe(303);
    expect(String(response.headers.location)).toMatch(/^https:\/\/rp\.example\.test\/callback\?code=/);
  });

  // Several nodes share a PostgreSQL database; two SQLite connections in one process would only
  // wait on each other's open transactions.
  it.skipIf(TEST_DIALECT === "sqlite")(
    "a back-channel logout is delivered once when both nodes sweep at the same time",
    async () => {
      nodeB = await secondNode(t);
      const received: string[] = [];
      const receiver = http.createServer((req, res) => {
        req.resume();
        req.on("end", () => {
          received.push(String(req.url));
          res.end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
      try {
        const uri = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/logout`;
        const user = await insertUser(t);
        const browser = await signedIn(t, user);
        const client = await registerClient(t, { backchannelLogoutUri: uri });
        await signInToClient(t, browser, await discover(t, client));
        await browser.post("/api/v1/auth/logout");
        await Promise.all([
          t.app.services.sso.logout.tick(),
          nodeB.app.services.sso.logout.tick(),
          t.app.services.sso.logout.tick(),
        ]);
        await Promise.all([t.app.services.sso.logout.tick(), nodeB.app.services.sso.logout.tick()]);
        expect(received).toEqual(["/logout"]);
      } finally {
        await new Promise((resolve) => receiver.close(resolve));
      }
    },
  );
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { CspEvaluator } from "csp_evaluator/dist/evaluator.js";
import { CspParser } from "csp_evaluator/dist/parser.js";
import { afterAll, describe, expect, it } from "vitest";
import type { TestClient } from "@test/test-client.js";
import { useTestApp } from "@test/use-test-app.js";

/** Every path and method of shared/api-contract.md. */
const CONTRACT_PATHS: Array<[string, string]> = [
  ["get", "/api/v1/auth/csrf"],
  ["post", "/api/v1/auth/login"],
  ["post", "/api/v1/auth/login/mfa"],
  ["post", "/api/v1/auth/logout"],
  ["post", "/api/v1/auth/reauthenticate"],
  ["post", "/api/v1/auth/password-reset"],
  ["post", "/api/v1/auth/password-reset/confirm"],
  ["post", "/api/v1/auth/invitations/accept"],
  ["get", "/api/v1/me"],
  ["patch", "/api/v1/me"],
  ["delete", "/api/v1/me"],
  ["post", "/api/v1/me/email-change"],
  ["post", "/api/v1/me/email-change/confirm"],
  ["get", "/api/v1/me/accounts"],
  ["post", "/api/v1/me/active-account"],
  ["post", "/api/v1/me/password"],
  ["get", "/api/v1/me/mfa"],
  ["post", "/api/v1/me/mfa/totp/setup"],
  ["post", "/api/v1/me/mfa/totp/confirm"],
  ["delete", "/api/v1/me/mfa/totp"],
  ["post", "/api/v1/me/mfa/recovery-codes"],
  ["get", "/api/v1/me/sessions"],
  ["delete", "/api/v1/me/sessions/{id}"],
  ["post", "/api/v1/me/sessions/revoke-others"],
  ["get", "/api/v1/me/events"],
  ["post", "/api/v1/admin/users"],
  ["post", "/api/v1/admin/accounts"],
  ["get", "/api/v1/admin/accounts/{id}"],
  ["patch", "/api/v1/admin/accounts/{id}"],
  ["post", "/api/v1/admin/accounts/{id}/groups"],
  ["post", "/api/v1/admin/accounts/{id}/members"],
  ["delete", "/api/v1/admin/accounts/{id}/members/{userId}"],
  ["get", "/healthz"],
  ["get", "/readyz"],
];

const webRoots: string[] = [];
afterAll(() => webRoots.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function webRootWithIndex(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-web-"));
  webRoots.push(dir);
  fs.mkdirSync(path.join(dir, "assets"));
  fs.writeFileSync(
    path.join(dir, "index.html"),
    "<!doctype html><html><head><title>Profile Center</title></head><body><div id=root></div></body></html>",
  );
  fs.writeFileSync(path.join(dir, "assets", "app-abc123.js"), "console.log(1)");
  fs.writeFileSync(path.join(dir, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  return dir;
}

/** POSTs `payload` to the sign-in route as it is, labelled JSON whether or not it parses. */
function postRawJson(client: TestClient, payload: string) {
  return client.request({ method: "POST", url: "/api/v1/auth/login", payload, headers: { "content-type": "application/json" } });
}

describe("foundation HTTP behaviour", () => {
  const t = useTestApp({}, { scope: "suite", webRoot: webRootWithIndex });
  const https = useTestApp({ PUBLIC_URL: "https://profile.example.com" }, { scope: "suite", webRoot: webRootWithIndex });

  it("answers /healthz and /readyz", async () => {
    expect((await t.app.inject("/healthz")).json()).toEqual({ status: "ok" });
    expect((await t.app.inject("/readyz")).json()).toEqual({ status: "ready" });
  });

  it("unknown API routes get the contract's 404 JSON error", async () => {
    for (const url of ["/api/v1/nope", "/api/v1/me/nope/deeper", "/api/v2/me"]) {
      const res = await t.app.inject(url);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: "not_found", message: expect.any(String) } });
    }
  });

  it("I6: malformed JSON is 400 invalid_json and an oversized body 413, with no stack trace", async () => {
    const c = t.client();
    for (const payload of ["{", '{"email": "a@b.c",}', "nul"]) {
      const res = await postRawJson(c, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe("invalid_json");
      expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    const big = await c.request({
      method: "POST",
      url: "/api/v1/admin/accounts",
      payload: JSON.stringify({ name: "x".repeat(200_000) }),
      headers: { "content-type": "application/json", authorization: `Bearer ${t.config.adminToken}` },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe("payload_too_large");
  });

  it("H5: prototype pollution in JSON is refused", async () => {
    const c = t.client();
    for (const payload of ['{"__proto__": {"isAdmin": true}}', '{"constructor": {"prototype": {"isAdmin": true}}}']) {
      const res = await postRawJson(c, payload);
      expect(res.statusCode).toBe(400);
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it("E8: TRACE is 405 and JSON answers carry a charset", async () => {
    const trace = await t.app.inject({ method: "TRACE" as "GET", url: "/api/v1/me" });
    expect(trace.statusCode).toBe(405);
    const res = await t.app.inject("/healthz");
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("E2–E5, E7: every response carries the security headers (API, errors, web app, assets)", async () => {
    const urls = [
      "/healthz",
      "/api/v1/nope",
      "/api/v1/me",
      "/profile/general",
      "/assets/app-abc123.js",
      "/favicon.svg",
      "/api/v1/openapi.json",
    ];
    for (const url of urls) {
      const res = await t.app.inject({ url, headers: { origin: "http://evil.test" } });
      const csp = String(res.headers["content-security-policy"]);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["referrer-policy"]).toBe("no-referrer");
      expect(res.headers["x-powered-by"]).toBeUndefined();
      expect(res.headers["access-control-allow-origin"]).toBeUndefined();
      expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
      expect(res.headers["strict-transport-security"]).toBeUndefined();
    }
  });

  it("E2: csp_evaluator finds no high-severity weakness in the CSP", async () => {
    const res = await t.app.inject("/profile/general");
    const parsed = new CspParser(String(res.headers["content-security-policy"])).csp;
    const findings = new CspEvaluator(parsed).evaluate();
    // severity 10 = HIGH in csp_evaluator's scale
    expect(findings.filter((f) => f.severity <= 10)).toEqual([]);
  });

  it("E1: with an https PUBLIC_URL every response has HSTS for a year with includeSubDomains", async () => {
    for (const url of ["/healthz", "/api/v1/nope", "/profile/security"]) {
      const res = await https.app.inject(url);
      const hsts = String(res.headers["strict-transport-security"]);
      expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31_536_000);
      expect(hsts).toContain("includeSubDomains");
    }
  });

  it("E6: API answers are not cached", async () => {
    for (const url of ["/api/v1/me", "/api/v1/auth/csrf", "/api/v1/nope"]) {
      expect((await t.app.inject(url)).headers["cache-control"], url).toBe("no-store");
    }
  });

  it("deep links serve the web app; assets and API paths do not fall back", async () => {
    for (const url of [
      "/login",
      "/profile/general",
      "/profile/sessions",
      "/reset-password?token=abc",
      "/invitations/accept?token=x",
    ]) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(res.body).toContain("<div id=root>");
    }
    expect((await t.app.inject("/assets/app-abc123.js")).statusCode).toBe(200);
    expect((await t.app.inject("/assets/missing.js")).statusCode).toBe(404);
    expect((await t.app.inject("/api/v1/unknown")).headers["content-type"]).toContain("application/json");
  });

  it("/metrics exposes request counts and latencies by route and status", async () => {
    await t.app.inject("/healthz");
    const res = await t.app.inject("/metrics");
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(res.body).toContain("http_request_duration_seconds_bucket");
    // What an operator alerts on when marking cut sessions ended keeps failing (session-cuts.ts).
    expect(res.body.split("\n")).toEqual(
      expect.arrayContaining([
        "# TYPE session_cut_settle_failures_total counter",
        "session_cut_settle_failures_total 0",
        "# TYPE session_cut_failing_people gauge",
        "session_cut_failing_people 0",
      ]),
    );
  });

  it("the OpenAPI document is valid 3.1 and lists every path of the contract", async () => {
    const res = await t.app.inject("/api/v1/openapi.json");
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    for (const [method, p] of CONTRACT_PATHS) expect(doc.paths[p]?.[method], `${method} ${p}`).toBeDefined();
  });

  it("I3: one structured log line a request, with no query string, cookie or header in it", async () => {
    const before = t.logs.length;
    await t.app.inject({
      url: "/reset-password?token=secret-token-value-123",
      headers: { cookie: "pc_session=cookie-value-456" },
    });
    const lines = t.logs.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
    const requestLines = lines.filter((l) => l.msg === "request");
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({ method: "GET", path: "/reset-password", status: 200 });
    // The request's own (lazily made) logger, with its random id.
    expect(String(requestLines[0]!.reqId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(String(requestLines[0]!.ts)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const all = t.logs.slice(before).join("\n");
    expect(all).not.toContain("secret-token-value-123");
    expect(all).not.toContain("cookie-value-456");
  });
});

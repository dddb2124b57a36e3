import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { apiRequest, api, setUnauthenticatedHandler } from "./api-client";
import { ApiError } from "./api-error";

interface Call {
  url: string;
  init: RequestInit;
}

let calls: Call[];
let responses: Array<() => Response>;
let cookie: string;

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json; charset=utf-8", ...headers },
    });

beforeEach(() => {
  calls = [];
  responses = [];
  cookie = "";
  vi.stubGlobal("location", { protocol: "http:", pathname: "/profile/sessions", search: "?status=ended", hash: "" });
  vi.stubGlobal("window", { location: globalThis.location });
  vi.stubGlobal("document", {
    get cookie() {
      return cookie;
    },
  });
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit = {}) => {
      calls.push({ url, init });
      const next = responses.shift();
      if (!next) throw new TypeError("Failed to fetch");
      return next();
    }),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const headersOf = (call: Call | undefined) => (call?.init.headers ?? {}) as Record<string, string>;

describe("apiRequest", () => {
  it("GETs JSON with same-origin credentials and no CSRF header", async () => {
    responses.push(json(200, { id: "UR-1" }));
    await expect(api.get("/me", { query: { limit: 5, cursor: undefined } })).resolves.toEqual({ id: "UR-1" });
    expect(calls[0]?.url).toBe("/api/v1/me?limit=5");
    expect(calls[0]?.init.credentials).toBe("same-origin");
    expect(headersOf(calls[0])["X-CSRF-Token"]).toBeUndefined();
  });

  it("sends the pc_csrf cookie as X-CSRF-Token on writes", async () => {
    cookie = "other=1; pc_csrf=abc123";
    responses.push(json(200, { ok: true }));
    await api.patch("/me", { timezone: "UTC" });
    expect(headersOf(calls[0])["X-CSRF-Token"]).toBe("abc123");
    expect(headersOf(calls[0])["Content-Type"]).toBe("application/json");
    expect(calls[0]?.init.body).toBe('{"timezone":"UTC"}');
  });

  it("reads __Host-pc_csrf when the page is https", async () => {
    vi.stubGlobal("location", { protocol: "https:", pathname: "/", search: "", hash: "" });
    cookie = "__Host-pc_csrf=secure1";
    responses.push(json(204, null));
    await api.post("/auth/logout");
    expect(headersOf(calls[0])["X-CSRF-Token"]).toBe("secure1");
  });

  it("fetches /auth/csrf first when there is no cookie", async () => {
    responses.push(json(200, { csrfToken: "fresh" }), json(200, { status: "mfa_required", methods: ["totp", "recovery_code"] }));
    await api.post("/auth/login", { email: "a@b.c", password: "x" });
    expect(calls.map((call) => call.url)).toEqual(["/api/v1/auth/csrf", "/api/v1/auth/login"]);
    expect(headersOf(calls[1])["X-CSRF-Token"]).toBe("fresh");
  });

  it("retries once with a fresh token after 403 csrf_failed", async () => {
    cookie = "pc_csrf=stale";
    responses.push(
      json(403, { error: { code: "csrf_failed", message: "no" } }),
      json(200, { csrfToken: "fresh" }),
      json(204, null),
    );
    await expect(api.delete("/me/sessions/s1")).resolves.toBeUndefined();
    expect(headersOf(calls[2])["X-CSRF-Token"]).toBe("fresh");
  });

  it("turns the contract error body into an ApiError", async () => {
    cookie = "pc_csrf=t";
    responses.push(json(409, { error: { code: "sole_admin", message: "m", details: { accounts: [{ id: "VA-1" }] } } }));
    const error = await apiRequest("/me", { method: "DELETE", body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "sole_admin", details: { accounts: [{ id: "VA-1" }] } });
  });

  it("exposes Retry-After on 429", async () => {
    cookie = "pc_csrf=t";
    responses.push(json(429, { error: { code: "rate_limited", message: "slow" } }, { "retry-after": "120" }));
    const error = await api.post("/auth/login", {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterSeconds: 120 });
  });

  it("hides a 500's body", async () => {
    responses.push(json(500, { error: { code: "internal_error", message: "stack trace here" } }));
    const error = (await api.get("/me").catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("internal_error");
    expect(error.message).not.toContain("stack");
  });

  it("reports network failures as status 0", async () => {
    const error = await api.get("/me").catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: "network_error" });
  });

  it("redirects to /login?next=<current path> on 401 unauthenticated", async () => {
    const redirect = vi.fn();
    const restore = setUnauthenticatedHandler(redirect);
    responses.push(json(401, { error: { code: "unauthenticated", message: "no" } }));
    await api.get("/me/sessions").catch(() => undefined);
    restore();
    expect(redirect).toHaveBeenCalledWith("/login?next=%2Fprofile%2Fsessions%3Fstatus%3Dended");
  });

  it("does not redirect for auth calls", async () => {
    const redirect = vi.fn();
    const restore = setUnauthenticatedHandler(redirect);
    cookie = "pc_csrf=t";
    responses.push(json(401, { error: { code: "unauthenticated", message: "no" } }));
    await api.post("/auth/login/mfa", { code: "123456" }).catch(() => undefined);
    restore();
    expect(redirect).not.toHaveBeenCalled();
  });
});

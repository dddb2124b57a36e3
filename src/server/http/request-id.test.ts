import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser } from "@test/factories.js";
import { eventsOfType } from "@test/inspect.js";

const t = useTestApp();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("I3: request correlation (X-Request-Id)", () => {
  it("keeps a safe incoming id and echoes it, on success and on error answers", async () => {
    const ok = await t.app.inject({ url: "/api/v1/auth/csrf", headers: { "x-request-id": "edge-01:abc.DEF_9-z" } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers["x-request-id"]).toBe("edge-01:abc.DEF_9-z");
    const refused = await t.app.inject({ url: "/api/v1/me", headers: { "x-request-id": "a".repeat(128) } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers["x-request-id"]).toBe("a".repeat(128));
  });

  it("replaces an unsafe or too long incoming id with a random UUID", async () => {
    for (const unsafe of ["a".repeat(129), "has space", "new\\nline", "<script>", "ünï", ""]) {
      const response = await t.app.inject({ url: "/api/v1/auth/csrf", headers: { "x-request-id": unsafe } });
      expect(response.headers["x-request-id"]).toMatch(UUID);
    }
  });

  it("makes a unique random id (not a per-process counter) when none comes in", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const id = String((await t.app.inject({ url: "/api/v1/auth/csrf" })).headers["x-request-id"]);
      expect(id).toMatch(UUID);
      ids.add(id);
    }
    expect(ids.size).toBe(20);
  });

  it("the request's log line and its security event carry the same id", async () => {
    const before = t.logs.length;
    const response = await t.client().request({
      method: "POST",
      url: "/api/v1/auth/password-reset",
      payload: { email: "someone@example.com" },
      csrf: false,
      headers: { "x-request-id": "trace-csrf-1" },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers["x-request-id"]).toBe("trace-csrf-1");
    const lines = t.logs.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === "request")).toMatchObject({ reqId: "trace-csrf-1", status: 403 });
    const [event] = await eventsOfType(t, "malicious_csrf");
    expect(event?.requestId).toBe("trace-csrf-1");
  });

  it("a failed sign-in's event carries the request's generated id", async () => {
    const user = await insertUser(t);
    const response = await t.client().post("/api/v1/auth/login", { email: user.email, password: "wrong password, long enough" });
    expect(response.statusCode).toBe(401);
    const id = String(response.headers["x-request-id"]);
    expect(id).toMatch(UUID);
    const [event] = await eventsOfType(t, "authn_login_fail");
    expect(event?.requestId).toBe(id);
    // Every line the request caused carries it: the request line, the event's, the failure's.
    const lines = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.reqId === id);
    expect(lines.map((l) => l.msg).sort()).toEqual(["request", "security event", "sign-in attempt failed"]);
  });
});

import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, signIn } from "@test/factories.js";

interface ParsedCookie {
  name: string;
  value: string;
  attributes: Map<string, string | true>;
}

/** Parses raw Set-Cookie headers (attribute names lower-cased). */
function parseSetCookie(header: string | string[] | undefined): ParsedCookie[] {
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.map((line) => {
    const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
    const eq = pair.indexOf("=");
    const attributes = new Map<string, string | true>();
    for (const attr of attrs) {
      const i = attr.indexOf("=");
      attributes.set((i < 0 ? attr : attr.slice(0, i)).toLowerCase(), i < 0 ? true : attr.slice(i + 1));
    }
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
  });
}

describe("cookies with an https PUBLIC_URL", () => {
  const t = useTestApp({ PUBLIC_URL: "https://profile.example.test" }, { scope: "suite" });

  it("D1–D4: the session cookie is __Host-pc_session; Secure; HttpOnly; SameSite=Lax; Path=/; no Domain", async () => {
    const user = await insertUser(t);
    const c = t.client();
    const res = await signIn(c, user);
    expect(res.statusCode).toBe(200);
    const cookies = parseSetCookie(res.headers["set-cookie"]);
    const session = cookies.find((k) => k.name === "__Host-pc_session");
    expect(session).toBeDefined();
    expect(cookies.some((k) => k.name === "pc_session")).toBe(false);
    expect(session?.value).toMatch(/^[\w-]{43}$/);
    expect(session?.attributes.get("secure")).toBe(true);
    expect(session?.attributes.get("httponly")).toBe(true);
    expect(session?.attributes.get("samesite")).toBe("Lax");
    expect(session?.attributes.get("path")).toBe("/");
    expect(session?.attributes.has("domain")).toBe(false);
    expect(Number(session?.attributes.get("max-age"))).toBe(t.config.sessionMaxHours * 3600);
    expect((await c.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("D1/D4: the CSRF cookie is __Host-pc_csrf; Secure; SameSite=Strict; Path=/; readable by scripts; no Domain", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/v1/auth/csrf" });
    const csrf = parseSetCookie(res.headers["set-cookie"]).find((k) => k.name === "__Host-pc_csrf");
    expect(csrf?.value).toBe(res.json().csrfToken);
    expect(csrf?.attributes.get("secure")).toBe(true);
    expect(csrf?.attributes.get("samesite")).toBe("Strict");
    expect(csrf?.attributes.get("path")).toBe("/");
    expect(csrf?.attributes.has("httponly")).toBe(false);
    expect(csrf?.attributes.has("domain")).toBe(false);
  });

  it("D2: logout clears the __Host- cookie with the same attributes and Max-Age=0", async () => {
    const user = await insertUser(t);
    const c = t.client();
    await signIn(c, user);
    const res = await c.post("/api/v1/auth/logout");
    const cleared = parseSetCookie(res.headers["set-cookie"]).find((k) => k.name === "__Host-pc_session");
    expect(cleared?.value).toBe("");
    expect(cleared?.attributes.get("max-age")).toBe("0");
    expect(cleared?.attributes.get("secure")).toBe(true);
    expect(cleared?.attributes.get("path")).toBe("/");
  });

  it("D2: the plain cookie name is not accepted as a session when the __Host- name is in force", async () => {
    const user = await insertUser(t);
    const c = t.client();
    await signIn(c, user);
    const token = c.sessionToken() ?? "";
    const res = await t.app.inject({ method: "GET", url: "/api/v1/me", cookies: { pc_session: token } });
    expect(res.statusCode).toBe(401);
  });
});

describe("cookies with an http PUBLIC_URL (local use)", () => {
  const t = useTestApp({}, { scope: "suite" });

  it("D1–D4: on http the plain names are used (pc_session HttpOnly Lax, pc_csrf Strict), without Secure", async () => {
    const user = await insertUser(t);
    const res = await signIn(t.client(), user);
    const cookies = parseSetCookie(res.headers["set-cookie"]);
    const session = cookies.find((k) => k.name === "pc_session");
    expect(session?.attributes.get("httponly")).toBe(true);
    expect(session?.attributes.get("samesite")).toBe("Lax");
    expect(session?.attributes.get("path")).toBe("/");
    expect(session?.attributes.has("secure")).toBe(false);
    expect(session?.attributes.has("domain")).toBe(false);
    const csrfRes = await t.app.inject({ method: "GET", url: "/api/v1/auth/csrf" });
    const csrf = parseSetCookie(csrfRes.headers["set-cookie"]).find((k) => k.name === "pc_csrf");
    expect(csrf?.attributes.get("samesite")).toBe("Strict");
    expect(csrf?.attributes.has("secure")).toBe(false);
  });
});

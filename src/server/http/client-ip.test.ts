import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, signIn } from "@test/factories.js";
import { eventsOf } from "@test/inspect.js";

describe("X-Forwarded-For behind a trusted proxy", () => {
  const t = useTestApp({ TRUST_PROXY: "127.0.0.1" });

  it("keeps a forwarded address, and ignores values that are not addresses instead of storing them", async () => {
    const user = await insertUser(t);
    const proxy = t.client({ ip: "127.0.0.1" });
    await signIn(proxy, { email: user.email, password: "not the password of this person" }).then((r) =>
      expect(r.statusCode).toBe(401),
    );
    for (const junk of ["<script>alert(1)</script>", "evil.example.com", "999.1.1.1", "' or 1=1 --"]) {
      const res = await proxy.post(
        "/api/v1/auth/login",
        { email: user.email, password: "wrong wrong wrong" },
        { "x-forwarded-for": junk },
      );
      expect(res.statusCode).toBe(401);
    }
    const other = await insertUser(t);
    const ok = await proxy.post(
      "/api/v1/auth/login",
      { email: other.email, password: other.password },
      { "x-forwarded-for": "198.51.100.7" },
    );
    expect(ok.statusCode, ok.body).toBe(200);
    // Nor does it reach the log lines.
    expect(t.logs.join("\n")).not.toContain("<script>");
    expect(t.logs.join("\n")).not.toContain("evil.example.com");
    const failures = await eventsOf(t, user.id, "authn_login_fail");
    expect(failures.map((e) => e.ip)).toEqual(Array(5).fill("127.0.0.1"));
    const [success] = await eventsOf(t, other.id, "authn_login_success");
    expect(success!.ip).toBe("198.51.100.7");
    const session = await t.app.services.db
      .selectFrom("sessions")
      .select("ip")
      .where("userId", "=", other.id)
      .executeTakeFirstOrThrow();
    expect(session.ip).toBe("198.51.100.7");
  });
});

import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { enableTotp, insertUser, signIn } from "@test/factories.js";
import { sessionRowOf } from "@test/inspect.js";
import { closedToPendingSessions } from "@test/openapi-operations.js";

describe("B2: the MFA-pending state", () => {
  const t = useTestApp({}, { scope: "suite" });

  /** A new person with TOTP on, and a client from `ip` that has passed the password step only. */
  async function pendingSignIn(ip: string) {
    const user = await insertUser(t);
    await enableTotp(t, user.id);
    const client = t.client({ ip });
    return { user, client, response: await signIn(client, user) };
  }

  it("B2: a session that passed only the password step gets 401 on every other route of the API (all /api/v1 paths of the OpenAPI document)", async () => {
    const { client: c, response } = await pendingSignIn("10.9.0.1");
    expect(response.json()).toEqual({ status: "mfa_required", methods: ["totp", "recovery_code"] });
    // Every operation the OpenAPI document says needs a session or the operator, except the code step.
    let checked = 0;
    for (const { method, path } of closedToPendingSessions(t)) {
      const url = path
        .replace(/\{id\}/g, "VA-123-456")
        .replace(/\{userId\}/g, "UR-123-456-789")
        .replace(/\{[^}]+\}/g, "x");
      const res = await c.request({ method: method as "GET", url, ...(method === "GET" ? {} : { payload: {} }) });
      expect(res.statusCode, `${method} ${path}`).toBe(401);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(20);
    // Still pending: nothing above completed the sign-in.
    expect(await sessionRowOf(t, c.sessionToken())).toMatchObject({ mfaPending: 1, endedAt: null });
  });

  it("B2: the pending session expires after 5 minutes even while used", async () => {
    const { client: c } = await pendingSignIn("10.9.0.2");
    const token = c.sessionToken();
    t.clock.advance(5 * 60_000 + 1);
    const res = await c.post("/api/v1/auth/login/mfa", { code: "123456" });
    expect(res.statusCode).toBe(401);
    expect(await sessionRowOf(t, token)).toMatchObject({ endReason: "expired" });
  });

  it("B2: signing in again from a pending session ends it instead of upgrading it", async () => {
    const { user, client: c } = await pendingSignIn("10.9.0.3");
    const first = c.sessionToken();
    await signIn(c, user);
    expect(c.sessionToken()).not.toBe(first);
    expect(await sessionRowOf(t, first)).toMatchObject({ endReason: "signed_out" });
  });
});

import { describe, expect, it } from "vitest";
import type { AppError } from "../../errors.js";
import type { AuthContext } from "../../request-context.js";
import { useTestApp } from "@test/use-test-app.js";
import { enableTotp, insertUser, signIn } from "@test/factories.js";
import { accountThrottleOf, eventsOfType } from "@test/inspect.js";

const MINUTE = 60_000;
const meta = { ip: "10.10.0.1", userAgent: "recent-auth-test" };

describe("requireRecentAuth (step-up for sensitive calls)", () => {
  const t = useTestApp({}, { scope: "suite" });

  /** Signs a new person in and returns their live AuthContext, plus the person. */
  async function signedIn(options: { mfa?: boolean } = {}) {
    const user = await insertUser(t);
    const c = t.client({ ip: meta.ip });
    expect((await signIn(c, user)).statusCode).toBe(200);
    const totp = options.mfa ? await enableTotp(t, user.id) : undefined;
    const load = async (): Promise<AuthContext> => {
      const auth = await t.app.services.sessions.validateSessionToken(c.sessionToken() ?? "");
      if (!auth) throw new Error("session not valid");
      return auth;
    };
    return { user, load, totp };
  }

  async function failure(promise: Promise<unknown>): Promise<AppError> {
    try {
      await promise;
    } catch (error) {
      return error as AppError;
    }
    throw new Error("expected a failure");
  }

  it("C11: a session within REAUTH_MAX_AGE_MINUTES passes without credentials", async () => {
    const { load } = await signedIn();
    t.clock.advance((t.config.reauthMaxAgeMinutes - 1) * MINUTE);
    await expect(t.app.services.recentAuth.requireRecentAuth(await load(), {}, meta)).resolves.toEqual({ via: "session" });
  });

  it("C11: an older session gets 401 reauthentication_required without a password, and passes with the right one", async () => {
    const { user, load } = await signedIn();
    t.clock.advance((t.config.reauthMaxAgeMinutes + 1) * MINUTE);
    const auth = await load();
    const error = await failure(t.app.services.recentAuth.requireRecentAuth(auth, undefined, meta));
    expect(error).toMatchObject({ code: "reauthentication_required", status: 401, details: { codeRequired: false } });
    await expect(t.app.services.recentAuth.requireRecentAuth(auth, { password: user.password }, meta)).resolves.toEqual({
      via: "credentials",
      methods: ["pwd"],
    });
  });

  it("C11: a wrong password is 401 invalid_password, counted by the per-account throttle shared with sign-in", async () => {
    const { user, load } = await signedIn();
    t.clock.advance((t.config.reauthMaxAgeMinutes + 1) * MINUTE);
    const auth = await load();
    for (let i = 0; i < 5; i++) {
      const error = await failure(t.app.services.recentAuth.requireRecentAuth(auth, { password: `wrong ${i} password` }, meta));
      expect(error).toMatchObject({ code: "invalid_password", status: 401 });
    }
    const row = await accountThrottleOf(t, user.email);
    expect(row?.consecutiveFailures).toBe(5);
    const locked = await failure(t.app.services.recentAuth.requireRecentAuth(auth, { password: user.password }, meta));
    expect(locked).toMatchObject({ code: "rate_limited", status: 429 });
    expect((await signIn(t.client({ ip: "10.10.0.2" }), user)).statusCode).toBe(429);
    const failures = (await eventsOfType(t, "authn_reauthenticate")).filter(
      (e) => e.userId === user.id && e.result === "failure",
    );
    expect(failures).toHaveLength(5);
  });

  it("B8: with MFA on, an old session needs password AND code: missing code → 401, wrong code → 400 invalid_code, both → pass", async () => {
    const { user, load, totp } = await signedIn({ mfa: true });
    t.clock.advance((t.config.reauthMaxAgeMinutes + 1) * MINUTE);
    const auth = await load();
    expect(auth.mfaEnabled).toBe(true);
    const missing = await failure(t.app.services.recentAuth.requireRecentAuth(auth, { password: user.password }, meta));
    expect(missing).toMatchObject({ code: "reauthentication_required", details: { codeRequired: true } });
    const right = totp?.codeAt(t.clock.now()) ?? "";
    const wrongCode = right === "000000" ? "111111" : "000000";
    const wrong = await failure(
      t.app.services.recentAuth.requireRecentAuth(auth, { password: user.password, code: wrongCode }, meta),
    );
    expect(wrong).toMatchObject({ code: "invalid_code", status: 400 });
    const badPassword = await failure(
      t.app.services.recentAuth.requireRecentAuth(auth, { password: "not it at all", code: right }, meta),
    );
    expect(badPassword).toMatchObject({ code: "invalid_password" });
    await expect(
      t.app.services.recentAuth.requireRecentAuth(auth, { password: user.password, code: right }, meta),
    ).resolves.toEqual({
      via: "credentials",
      secondFactor: { method: "totp" },
      methods: ["pwd", "otp", "mfa"],
    });
  });
});

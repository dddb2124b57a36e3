import { describe, expect, it } from "vitest";
import type { CheckupItemId } from "../../../contracts/checkup.js";
import { buildCheckupItems, type CheckupFacts } from "./checkup-items.js";

/** A person for whom every check is ok. */
const good: CheckupFacts = {
  totpEnabled: true,
  passkeys: 1,
  recoveryCodesLeft: 10,
  unmetPolicies: [],
  emailVerifiedAt: 1,
  passwordChangedAt: 2_000,
  lastBreachReportedAt: 1_000,
  staleSessions: 0,
  newCountries: [],
  idleApps: [],
  apps: 2,
};

const statusOf = (facts: Partial<CheckupFacts>, id: CheckupItemId) =>
  buildCheckupItems({ ...good, ...facts }).find((item) => item.id === id)?.status;

describe("checkup rules", () => {
  it("everything ok lists every check, ok, each with a page that fixes it", () => {
    const items = buildCheckupItems(good);
    expect(items.map((i) => i.id)).toEqual([
      "second_factor",
      "recovery_codes",
      "passkey",
      "account_mfa_policy",
      "email_verified",
      "password_breach",
      "stale_sessions",
      "new_countries",
      "connected_apps",
    ]);
    for (const item of items) {
      expect(item.status).toBe("ok");
      expect(item.href).toMatch(/^\/profile\/(security|sessions|apps|general|accounts)$/);
      expect(item.title && item.detail && item.actionLabel).toBeTruthy();
    }
    expect(items[0]?.detail).toBe("2 methods: an authenticator app and 1 passkey.");
  });

  it.each<[CheckupItemId, Partial<CheckupFacts>, string]>([
    ["second_factor", { totpEnabled: false, passkeys: 0 }, "action"],
    ["recovery_codes", { recoveryCodesLeft: 2 }, "warning"],
    ["recovery_codes", { recoveryCodesLeft: 0 }, "action"],
    ["passkey", { passkeys: 0 }, "warning"],
    ["account_mfa_policy", { unmetPolicies: [{ name: "Acme", policy: "suggested" }] }, "warning"],
    ["account_mfa_policy", { unmetPolicies: [{ name: "Acme", policy: "required" }] }, "action"],
    ["email_verified", { emailVerifiedAt: null }, "warning"],
    ["password_breach", { passwordChangedAt: 999 }, "warning"],
    ["password_breach", { passwordChangedAt: null }, "warning"],
    ["stale_sessions", { staleSessions: 1 }, "warning"],
    ["new_countries", { newCountries: ["France"] }, "warning"],
    ["connected_apps", { idleApps: ["Old CRM"] }, "warning"],
  ])("%s is not ok when %j", (id, facts, status) => {
    expect(statusOf(facts, id)).toBe(status);
  });

  it("recovery codes need no attention without an authenticator app; the breach check is left out when not tracked", () => {
    expect(statusOf({ totpEnabled: false, recoveryCodesLeft: 0 }, "recovery_codes")).toBe("ok");
    expect(statusOf({ lastBreachReportedAt: null }, "password_breach")).toBeUndefined();
    expect(statusOf({ newCountries: null }, "new_countries")).toBe("ok");
  });
});

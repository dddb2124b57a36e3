import { describe, expect, it } from "vitest";
import { ConfigError, isMailAddress, loadConfig } from "./config.js";

/** The problems `loadConfig` reports for `env`, one line each (none: []). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("configuration errors name the variable", () => {
  it("MAIL_FROM must be an address, with or without a name", () => {
    for (const good of [
      "no-reply@example.com",
      "Profile Center <no-reply@example.com>",
      '"Acme, Inc." <ops@acme.test>',
      "x <a@localhost>",
    ])
      expect(isMailAddress(good), good).toBe(true);
    for (const bad of ["Profile Center", "no-reply", "a@b <c@d>", "<>", "Name <a@b>\r\nBcc: x@y", "a b@c.d"]) {
      expect(isMailAddress(bad), bad).toBe(false);
      expect(problemsOf({ MAIL_FROM: bad })[0], bad).toMatch(/^MAIL_FROM: must be an email address/);
    }
  });

  it("TRUST_PROXY takes booleans, hop counts, addresses, CIDR ranges and named ranges, and names itself otherwise", () => {
    for (const good of ["true", "false", "2", "127.0.0.1", "10.0.0.0/8, 192.168.1.1", "loopback,uniquelocal", "fd00::/8", "::1"])
      expect(problemsOf({ TRUST_PROXY: good }), good).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8, loopback" }).trustProxy).toEqual(["10.0.0.0/8", "loopback"]);
    for (const bad of ["yes", "proxy.example.com", "10.0.0.0/33", "1.2.3.4/", "10.0.0.1,,", "-1"])
      expect(problemsOf({ TRUST_PROXY: bad })[0], bad).toMatch(/^TRUST_PROXY: must be true, false, a hop count/);
  });

  it("DATABASE_WAIT_SECONDS defaults to 30 and is bounded", () => {
    expect(loadConfig({}).databaseWaitSeconds).toBe(30);
    expect(loadConfig({ DATABASE_WAIT_SECONDS: "0" }).databaseWaitSeconds).toBe(0);
    expect(problemsOf({ DATABASE_WAIT_SECONDS: "soon" })[0]).toMatch(/^DATABASE_WAIT_SECONDS:/);
  });
});

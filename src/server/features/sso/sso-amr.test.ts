import { describe, expect, it } from "vitest";
import { acrFor, amrFor, methodsOfSession } from "./sso-amr.js";

describe("amr and acr of a session", () => {
  it("a password alone: pwd, acr pwd", () => {
    const amr = amrFor(methodsOfSession({ mfaVerified: 0, authMethods: "pwd" }));
    expect(amr).toEqual(["pwd"]);
    expect(acrFor(amr)).toBe("pwd");
  });

  it("a password then a code: pwd otp mfa, acr mfa", () => {
    const amr = amrFor(methodsOfSession({ mfaVerified: 1, authMethods: "pwd otp mfa" }));
    expect(amr).toEqual(["pwd", "otp", "mfa"]);
    expect(acrFor(amr)).toBe("mfa");
  });

  it("a passkey alone with user verification: hwk or swk with user, and mfa", () => {
    expect(amrFor(methodsOfSession({ mfaVerified: 1, authMethods: "swk user mfa" }))).toEqual(["swk", "user", "mfa"]);
    expect(amrFor(methodsOfSession({ mfaVerified: 1, authMethods: "hwk user mfa" }))).toEqual(["hwk", "user", "mfa"]);
  });

  it("a password then a passkey as the second step: pwd, the passkey's kind, user, mfa", () => {
    expect(amrFor(methodsOfSession({ mfaVerified: 1, authMethods: "pwd swk user mfa" }))).toEqual(["pwd", "swk", "user", "mfa"]);
  });

  it("a session from before methods were recorded reads as password, with a code when MFA-verified", () => {
    expect(amrFor(methodsOfSession({ mfaVerified: 0, authMethods: "" }))).toEqual(["pwd"]);
    expect(amrFor(methodsOfSession({ mfaVerified: 1 }))).toEqual(["pwd", "otp", "mfa"]);
  });
});

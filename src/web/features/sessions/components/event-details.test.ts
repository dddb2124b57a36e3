import { describe, expect, it } from "vitest";
import { describeEventDetails } from "./event-details";

const formatDateTime = (iso: string) => `<${iso}>`;

describe("describeEventDetails", () => {
  it("says machine words as phrases people read", () => {
    expect(describeEventDetails({ reason: "invalid_code" }, formatDateTime)).toBe("Wrong code");
    expect(describeEventDetails({ factor: "password", mfaRequired: true }, formatDateTime)).toBe("With the password");
    expect(describeEventDetails({ method: "totp", otherSessionsEnded: 2 }, formatDateTime)).toBe(
      "With the authenticator app · 2 other sessions ended",
    );
    expect(describeEventDetails({ operation: "add_member", via: "api" }, formatDateTime)).toBe("Added you to an account");
  });

  it("names the profile fields a change touched", () => {
    expect(describeEventDetails({ fields: ["firstName", "jobTitle"] }, formatDateTime)).toBe("Changed: first name, job title");
  });

  it("reads an account switch as from → to with the account's name", () => {
    expect(describeEventDetails({ from: "PA-072-985", to: "PA-521-554", accountName: "Meridian" }, formatDateTime)).toBe(
      "From PA-072-985 to PA-521-554 · Account: Meridian",
    );
    expect(describeEventDetails({ from: "PA-521-554", to: "PA-521-554", accountName: "Meridian" }, formatDateTime)).toBe(
      "Account: Meridian",
    );
  });

  it("shows instants through the person's formatter, never as raw ISO text", () => {
    expect(describeEventDetails({ until: "2026-11-27T22:14:31.000Z", retryAfterSeconds: 15 }, formatDateTime)).toBe(
      "Until <2026-11-27T22:14:31.000Z>",
    );
    expect(describeEventDetails({ invitedAt: "2026-11-27T22:14:31.000Z" }, formatDateTime)).toBe(
      "Invited at: <2026-11-27T22:14:31.000Z>",
    );
  });

  it("leaves out internal ids, nested values and empty ones; unknown keys fall back to words", () => {
    expect(
      describeEventDetails({ sessionId: "abc", groupIds: ["GR-1"], changes: { name: "x" }, note: null }, formatDateTime),
    ).toBe("");
    expect(describeEventDetails({ someFlag: false, kind: "one_two" }, formatDateTime)).toBe("Some flag: no · Kind: one two");
  });
});

describe("lockdown details", () => {
  it("says what the lockdown did and leaves out what it did not", () => {
    const text = describeEventDetails(
      { sessionsEnded: 2, appsRevoked: 0, emailRestored: true, emailChangeCancelled: false },
      (iso) => iso,
    );
    expect(text).toBe("2 sessions ended · Previous email address restored");
  });
});

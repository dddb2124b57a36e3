import { describe, expect, it } from "vitest";
import { ApiError } from "./api-error";
import { formatWaitDuration, getErrorMessage, KNOWN_ERROR_CODES } from "./error-messages";

const CONTRACT_CODES = [
  "invalid_credentials",
  "rate_limited",
  "invalid_code",
  "invalid_password",
  "weak_password",
  "email_taken",
  "invalid_token",
  "mfa_already_enabled",
  "mfa_required_by_account",
  "mfa_setup_required",
  "sole_admin",
  "reauthentication_required",
  "csrf_failed",
  "validation_failed",
  "not_found",
  "unauthenticated",
  "payload_too_large",
  "invalid_json",
  "request_timeout",
  "uri_too_long",
  "headers_too_large",
  "not_implemented",
  "internal_error",
];

const error = (status: number, code: string, message = "server text", details?: Record<string, unknown>) =>
  new ApiError({ status, code, message, details });

describe("getErrorMessage", () => {
  it("has friendly text for every contract code", () => {
    for (const code of CONTRACT_CODES) expect(KNOWN_ERROR_CODES).toContain(code);
  });

  it("never shows a 500's own text", () => {
    expect(getErrorMessage(error(500, "internal_error", "TypeError at db.ts:12"))).not.toContain("TypeError");
    expect(getErrorMessage(error(502, "weird_code", "upstream said no"))).not.toContain("upstream");
  });

  it("says how long to wait when rate limited", () => {
    expect(getErrorMessage(new ApiError({ status: 429, code: "rate_limited", message: "", retryAfterSeconds: 90 }))).toBe(
      "Too many attempts. Please try again in 2 minutes.",
    );
    expect(getErrorMessage(error(429, "rate_limited", "", { retryAfterSeconds: 30 }))).toBe(
      "Too many attempts. Please try again in 30 seconds.",
    );
    expect(getErrorMessage(error(429, "rate_limited"))).toBe("Too many attempts. Please wait a moment and try again.");
  });

  it("shows the server's reason for a weak password", () => {
    expect(getErrorMessage(error(400, "weak_password", "This password is on the list of common passwords."))).toBe(
      "This password is on the list of common passwords.",
    );
    expect(getErrorMessage(error(400, "weak_password", "x", { reason: "Too short." }))).toBe("Too short.");
  });

  it("handles anything thrown", () => {
    expect(getErrorMessage(new Error("boom"))).toBe("Something went wrong on our side. Please try again.");
    expect(getErrorMessage(error(418, "teapot"))).toBe("That didn't work. Please try again.");
  });
});

describe("formatWaitDuration", () => {
  it.each([
    [1, "1 second"],
    [45, "45 seconds"],
    [60, "1 minute"],
    [61, "2 minutes"],
    [3600, "1 hour"],
    [5400, "2 hours"],
  ])("%d s → %s", (seconds, text) => {
    expect(formatWaitDuration(seconds)).toBe(text);
  });
});

import { describe, expect, it } from "vitest";
import { formatMailTime } from "./format-mail-time.js";

const AT = Date.UTC(2026, 10, 27, 20, 10, 44); // 2026-11-27T20:10:44Z

describe("formatMailTime: mails show times in the person's zone and formats", () => {
  it.each([
    [{ timezone: "UTC", dateFormat: "YYYY-MM-DD", timeFormat: "24h" }, "2026-11-27 20:10 (UTC)"],
    [{ timezone: "Europe/Berlin", dateFormat: "DD.MM.YYYY", timeFormat: "24h" }, "27.11.2026 21:10 (Europe/Berlin, UTC+01:00)"],
    [
      { timezone: "America/New_York", dateFormat: "MM/DD/YYYY", timeFormat: "12h" },
      "11/27/2026 3:10 PM (America/New_York, UTC-05:00)",
    ],
    [
      { timezone: "Asia/Kathmandu", dateFormat: "D MMM YYYY", timeFormat: "24h" },
      "28 Nov 2026, 01:55 (Asia/Kathmandu, UTC+05:45)",
    ],
    [
      { timezone: "Australia/Lord_Howe", dateFormat: "DD/MM/YYYY", timeFormat: "12h" },
      "28/11/2026 7:10 AM (Australia/Lord_Howe, UTC+11:00)",
    ],
  ])("%j", (prefs, expected) => {
    expect(formatMailTime(AT, prefs)).toBe(expected);
  });

  it("renders midnight as 12 AM and noon as 12 PM", () => {
    const prefs = { timezone: "UTC", dateFormat: "YYYY-MM-DD", timeFormat: "12h" };
    expect(formatMailTime(Date.UTC(2026, 0, 1, 0, 5), prefs)).toBe("2026-01-01 12:05 AM (UTC)");
    expect(formatMailTime(Date.UTC(2026, 0, 1, 12, 5), prefs)).toBe("2026-01-01 12:05 PM (UTC)");
  });

  it("falls back to UTC for a zone the runtime does not know, never throws", () => {
    expect(formatMailTime(AT, { timezone: "Mars/Olympus", dateFormat: "YYYY-MM-DD", timeFormat: "24h" })).toBe(
      "2026-11-27 20:10 (UTC)",
    );
  });
});

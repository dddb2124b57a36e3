import { describe, expect, it } from "vitest";
import type { DateFormat, TimeFormat } from "@contracts/me";
import {
  EMPTY_DATE,
  formatDate,
  formatDateTime,
  formatRelative,
  formatTime,
  formatUtcOffset,
  getUtcOffsetMinutes,
  getZoneLabel,
} from "./format-date";
import type { DisplayPrefs } from "./format-date";

const DATE_FORMATS: DateFormat[] = ["YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY", "D MMM YYYY"];

interface Case {
  name: string;
  zone: string;
  iso: string;
  date: Record<DateFormat, string>;
  time: Record<TimeFormat, string>;
  zoneLabel: string;
  offset: number;
}

/** Builds the five date strings of one calendar day. */
function days(y: string, m: string, d: string, mon: string): Record<DateFormat, string> {
  return {
    "YYYY-MM-DD": `${y}-${m}-${d}`,
    "DD/MM/YYYY": `${d}/${m}/${y}`,
    "MM/DD/YYYY": `${m}/${d}/${y}`,
    "DD.MM.YYYY": `${d}.${m}.${y}`,
    "D MMM YYYY": `${Number(d)} ${mon} ${y}`,
  };
}

const CASES: Case[] = [
  {
    name: "UTC",
    zone: "UTC",
    iso: "2026-01-15T12:34:56Z",
    date: days("2026", "01", "15", "Jan"),
    time: { "24h": "12:34", "12h": "12:34 PM" },
    zoneLabel: "UTC",
    offset: 0,
  },
  {
    name: "UTC just after midnight",
    zone: "UTC",
    iso: "2026-06-01T00:05:00Z",
    date: days("2026", "06", "01", "Jun"),
    time: { "24h": "00:05", "12h": "12:05 AM" },
    zoneLabel: "UTC",
    offset: 0,
  },
  {
    name: "Berlin in winter (CET, +1)",
    zone: "Europe/Berlin",
    iso: "2026-01-15T12:34:56Z",
    date: days("2026", "01", "15", "Jan"),
    time: { "24h": "13:34", "12h": "1:34 PM" },
    zoneLabel: "UTC+01:00",
    offset: 60,
  },
  {
    name: "Berlin in summer (CEST, +2)",
    zone: "Europe/Berlin",
    iso: "2026-07-15T12:34:56Z",
    date: days("2026", "07", "15", "Jul"),
    time: { "24h": "14:34", "12h": "2:34 PM" },
    zoneLabel: "UTC+02:00",
    offset: 120,
  },
  {
    name: "Berlin one second before DST starts",
    zone: "Europe/Berlin",
    iso: "2026-03-29T00:59:59Z",
    date: days("2026", "03", "29", "Mar"),
    time: { "24h": "01:59", "12h": "1:59 AM" },
    zoneLabel: "UTC+01:00",
    offset: 60,
  },
  {
    name: "Berlin as DST starts (02:00 → 03:00)",
    zone: "Europe/Berlin",
    iso: "2026-03-29T01:00:00Z",
    date: days("2026", "03", "29", "Mar"),
    time: { "24h": "03:00", "12h": "3:00 AM" },
    zoneLabel: "UTC+02:00",
    offset: 120,
  },
  {
    name: "Berlin, first 02:30 of the autumn fold",
    zone: "Europe/Berlin",
    iso: "2026-10-25T00:30:00Z",
    date: days("2026", "10", "25", "Oct"),
    time: { "24h": "02:30", "12h": "2:30 AM" },
    zoneLabel: "UTC+02:00",
    offset: 120,
  },
  {
    name: "Berlin, second 02:30 of the autumn fold",
    zone: "Europe/Berlin",
    iso: "2026-10-25T01:30:00Z",
    date: days("2026", "10", "25", "Oct"),
    time: { "24h": "02:30", "12h": "2:30 AM" },
    zoneLabel: "UTC+01:00",
    offset: 60,
  },
  {
    name: "New York in winter (EST)",
    zone: "America/New_York",
    iso: "2026-01-15T12:34:56Z",
    date: days("2026", "01", "15", "Jan"),
    time: { "24h": "07:34", "12h": "7:34 AM" },
    zoneLabel: "EST",
    offset: -300,
  },
  {
    name: "New York one second before DST",
    zone: "America/New_York",
    iso: "2026-03-08T06:59:59Z",
    date: days("2026", "03", "08", "Mar"),
    time: { "24h": "01:59", "12h": "1:59 AM" },
    zoneLabel: "EST",
    offset: -300,
  },
  {
    name: "New York as DST starts (EDT)",
    zone: "America/New_York",
    iso: "2026-03-08T07:00:00Z",
    date: days("2026", "03", "08", "Mar"),
    time: { "24h": "03:00", "12h": "3:00 AM" },
    zoneLabel: "EDT",
    offset: -240,
  },
  {
    name: "New York on New Year's Eve (UTC already next year)",
    zone: "America/New_York",
    iso: "2027-01-01T03:30:00Z",
    date: days("2026", "12", "31", "Dec"),
    time: { "24h": "22:30", "12h": "10:30 PM" },
    zoneLabel: "EST",
    offset: -300,
  },
  {
    name: "Kathmandu (+05:45)",
    zone: "Asia/Kathmandu",
    iso: "2026-01-15T12:34:56Z",
    date: days("2026", "01", "15", "Jan"),
    time: { "24h": "18:19", "12h": "6:19 PM" },
    zoneLabel: "UTC+05:45",
    offset: 345,
  },
  {
    name: "Kathmandu crossing into the new year",
    zone: "Asia/Kathmandu",
    iso: "2026-12-31T23:30:00Z",
    date: days("2027", "01", "01", "Jan"),
    time: { "24h": "05:15", "12h": "5:15 AM" },
    zoneLabel: "UTC+05:45",
    offset: 345,
  },
  {
    name: "Kolkata (+05:30)",
    zone: "Asia/Kolkata",
    iso: "2026-07-15T06:45:00Z",
    date: days("2026", "07", "15", "Jul"),
    time: { "24h": "12:15", "12h": "12:15 PM" },
    zoneLabel: "UTC+05:30",
    offset: 330,
  },
  {
    name: "Lord Howe in summer (DST, +11)",
    zone: "Australia/Lord_Howe",
    iso: "2026-01-15T12:34:56Z",
    date: days("2026", "01", "15", "Jan"),
    time: { "24h": "23:34", "12h": "11:34 PM" },
    zoneLabel: "UTC+11:00",
    offset: 660,
  },
  {
    name: "Lord Howe in winter (+10:30)",
    zone: "Australia/Lord_Howe",
    iso: "2026-07-15T12:34:56Z",
    date: days("2026", "07", "15", "Jul"),
    time: { "24h": "23:04", "12h": "11:04 PM" },
    zoneLabel: "UTC+10:30",
    offset: 630,
  },
  {
    name: "Lord Howe one second before DST ends",
    zone: "Australia/Lord_Howe",
    iso: "2026-04-04T14:59:59Z",
    date: days("2026", "04", "05", "Apr"),
    time: { "24h": "01:59", "12h": "1:59 AM" },
    zoneLabel: "UTC+11:00",
    offset: 660,
  },
  {
    name: "Lord Howe as DST ends (02:00 → 01:30)",
    zone: "Australia/Lord_Howe",
    iso: "2026-04-04T15:00:00Z",
    date: days("2026", "04", "05", "Apr"),
    time: { "24h": "01:30", "12h": "1:30 AM" },
    zoneLabel: "UTC+10:30",
    offset: 630,
  },
  {
    name: "Lord Howe as DST starts (02:00 → 02:30)",
    zone: "Australia/Lord_Howe",
    iso: "2026-10-03T15:30:00Z",
    date: days("2026", "10", "04", "Oct"),
    time: { "24h": "02:30", "12h": "2:30 AM" },
    zoneLabel: "UTC+11:00",
    offset: 660,
  },
];

const prefs = (zone: string, dateFormat: DateFormat, timeFormat: TimeFormat): DisplayPrefs => ({
  timezone: zone,
  dateFormat,
  timeFormat,
  locale: "en-GB",
});

describe("formatDate / formatTime / formatDateTime", () => {
  for (const testCase of CASES) {
    describe(testCase.name, () => {
      for (const dateFormat of DATE_FORMATS) {
        for (const timeFormat of ["24h", "12h"] as const) {
          it(`${dateFormat} × ${timeFormat}`, () => {
            const p = prefs(testCase.zone, dateFormat, timeFormat);
            const separator = dateFormat === "D MMM YYYY" ? ", " : " ";
            expect(formatDate(testCase.iso, p)).toBe(testCase.date[dateFormat]);
            expect(formatTime(testCase.iso, p)).toBe(testCase.time[timeFormat]);
            expect(formatDateTime(testCase.iso, p)).toBe(
              `${testCase.date[dateFormat]}${separator}${testCase.time[timeFormat]} ${testCase.zoneLabel}`,
            );
          });
        }
      }
      it("offset and zone label", () => {
        expect(getUtcOffsetMinutes(testCase.zone, testCase.iso)).toBe(testCase.offset);
        expect(getZoneLabel(testCase.zone, testCase.iso)).toBe(testCase.zoneLabel);
      });
    });
  }
});

describe("exact full strings", () => {
  it("spells out a few whole date-times", () => {
    expect(formatDateTime("2026-03-29T01:00:00Z", prefs("Europe/Berlin", "DD.MM.YYYY", "24h"))).toBe(
      "29.03.2026 03:00 UTC+02:00",
    );
    expect(formatDateTime("2026-03-08T07:00:00Z", prefs("America/New_York", "MM/DD/YYYY", "12h"))).toBe("03/08/2026 3:00 AM EDT");
    expect(formatDateTime("2026-12-31T23:30:00Z", prefs("Asia/Kathmandu", "D MMM YYYY", "12h"))).toBe(
      "1 Jan 2027, 5:15 AM UTC+05:45",
    );
    expect(formatDateTime("2026-04-04T15:00:00Z", prefs("Australia/Lord_Howe", "YYYY-MM-DD", "24h"))).toBe(
      "2026-04-05 01:30 UTC+10:30",
    );
    expect(formatDateTime("2026-07-15T06:45:00Z", prefs("Asia/Kolkata", "DD/MM/YYYY", "12h"))).toBe(
      "15/07/2026 12:15 PM UTC+05:30",
    );
  });

  it("drops the zone or adds seconds on request", () => {
    const p = prefs("Europe/Berlin", "YYYY-MM-DD", "24h");
    expect(formatDateTime("2026-01-15T12:34:56Z", p, { withZone: false })).toBe("2026-01-15 13:34");
    expect(formatDateTime("2026-01-15T12:34:56Z", p, { withSeconds: true })).toBe("2026-01-15 13:34:56 UTC+01:00");
    expect(formatTime("2026-01-15T12:34:56Z", { ...p, timeFormat: "12h" }, { withZone: true, withSeconds: true })).toBe(
      "1:34:56 PM UTC+01:00",
    );
  });

  it("uses the locale for month names", () => {
    expect(formatDate("2026-03-05T12:00:00Z", { ...prefs("UTC", "D MMM YYYY", "24h"), locale: "de-DE" })).toBe("5 Mär 2026");
    expect(formatDate("2026-03-05T12:00:00Z", { ...prefs("UTC", "D MMM YYYY", "24h"), locale: "en-US" })).toBe("5 Mar 2026");
  });

  it("accepts Date objects and epoch milliseconds", () => {
    const p = prefs("UTC", "YYYY-MM-DD", "24h");
    expect(formatDateTime(new Date(Date.UTC(2026, 0, 2, 3, 4)), p)).toBe("2026-01-02 03:04 UTC");
    expect(formatDateTime(Date.UTC(2026, 0, 2, 3, 4), p)).toBe("2026-01-02 03:04 UTC");
  });
});

describe("robustness", () => {
  it("renders missing or invalid instants as a dash", () => {
    const p = prefs("UTC", "YYYY-MM-DD", "24h");
    for (const input of [null, undefined, "", "not a date"]) {
      expect(formatDateTime(input, p)).toBe(EMPTY_DATE);
      expect(formatDate(input, p)).toBe(EMPTY_DATE);
      expect(formatTime(input, p)).toBe(EMPTY_DATE);
    }
  });

  it("falls back to UTC for a zone the runtime does not know", () => {
    expect(formatDateTime("2026-01-15T12:34:56Z", prefs("Mars/Olympus_Mons", "YYYY-MM-DD", "24h"))).toBe("2026-01-15 12:34 UTC");
  });

  it("accepts zone links such as Asia/Calcutta", () => {
    expect(formatTime("2026-07-15T06:45:00Z", prefs("Asia/Calcutta", "YYYY-MM-DD", "24h"))).toBe("12:15");
  });
});

describe("formatUtcOffset", () => {
  it("formats offsets with a real minus sign", () => {
    expect(formatUtcOffset(0)).toBe("UTC");
    expect(formatUtcOffset(345)).toBe("UTC+05:45");
    expect(formatUtcOffset(-210)).toBe("UTC\u221203:30");
    expect(formatUtcOffset(840)).toBe("UTC+14:00");
  });
});

describe("formatRelative", () => {
  const now = "2026-01-15T12:00:00Z";
  it.each([
    ["2026-01-15T11:59:30Z", "now"],
    ["2026-01-15T11:55:00Z", "5 minutes ago"],
    ["2026-01-15T09:00:00Z", "3 hours ago"],
    ["2026-01-14T12:00:00Z", "yesterday"],
    ["2026-01-12T12:00:00Z", "3 days ago"],
    ["2026-01-15T15:00:00Z", "in 3 hours"],
    ["2025-11-15T12:00:00Z", "2 months ago"],
    ["2024-01-15T12:00:00Z", "2 years ago"],
  ])("%s → %s", (iso, expected) => {
    expect(formatRelative(iso, "en-GB", now)).toBe(expected);
  });
});

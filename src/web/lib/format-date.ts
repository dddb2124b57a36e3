import type { DateFormat, TimeFormat } from "@contracts/me";

/**
 * THE module that turns instants into text. Every date and time the product shows goes
 * through it, rendered in the person's zone and formats (product.md, "General").
 *
 * Wall-clock fields come from `Intl.DateTimeFormat#formatToParts` with the `timeZone`
 * option, so the runtime's tz database handles DST and odd offsets (Asia/Kathmandu +05:45,
 * Australia/Lord_Howe's 30-minute DST). We only assemble the fields in the chosen order.
 */

/** How a person wants dates and times shown (the matching fields of `GET /api/v1/me`). */
export interface DisplayPrefs {
  /** IANA zone name, e.g. `Europe/Berlin`. */
  timezone: string;
  dateFormat: DateFormat;
  timeFormat: TimeFormat;
  /** BCP 47 tag; used for month names and relative phrases. */
  locale: string;
}

/** Anything that names an instant: an ISO 8601 string, a Date or epoch milliseconds. */
export type DateInput = string | number | Date;

/** Options shared by the time-bearing formatters. */
export interface TimeOptions {
  /** Append the zone abbreviation or UTC offset (default true for date-times, false for times). */
  withZone?: boolean;
  /** Include seconds (default false). */
  withSeconds?: boolean;
}

/** Shown for a missing or unparsable instant. */
export const EMPTY_DATE = "—";

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatterCache = new Map<string, Intl.DateTimeFormat>();

function getFormatter(key: string, locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const cacheKey = `${key}|${locale}|${options.timeZone ?? ""}`;
  let formatter = formatterCache.get(cacheKey);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, options);
    formatterCache.set(cacheKey, formatter);
  }
  return formatter;
}

/** True when the runtime can format in `timezone`. */
export function isValidTimeZone(timezone: string): boolean {
  try {
    getFormatter("wall", "en-US", wallOptions(timezone));
    return true;
  } catch {
    return false;
  }
}

function wallOptions(timeZone: string): Intl.DateTimeFormatOptions {
  return {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    era: "short",
  };
}

/** A stored zone the runtime does not know renders in UTC rather than throwing. */
function safeZone(timezone: string): string {
  return isValidTimeZone(timezone) ? timezone : "UTC";
}

function toDate(input: DateInput | null | undefined): Date | undefined {
  if (input === null || input === undefined || input === "") return undefined;
  const date = input instanceof Date ? input : new Date(input);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function getWallClock(date: Date, timezone: string): WallClock {
  const parts = getFormatter("wall", "en-US", wallOptions(safeZone(timezone))).formatToParts(date);
  const field = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((part) => part.type === type)?.value ?? "0");
  const isBc = parts.some((part) => part.type === "era" && part.value.startsWith("B"));
  return {
    year: isBc ? 1 - field("year") : field("year"),
    month: field("month"),
    day: field("day"),
    hour: field("hour") % 24,
    minute: field("minute"),
    second: field("second"),
  };
}

const pad2 = (value: number): string => String(value).padStart(2, "0");
const pad4 = (value: number): string => String(value).padStart(4, "0");

function getMonthName(month: number, locale: string): string {
  const formatter = getFormatter("month", safeLocale(locale), { month: "short", timeZone: "UTC" });
  return formatter.format(new Date(Date.UTC(2000, month - 1, 15)));
}

function safeLocale(locale: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? locale : "en-GB";
  } catch {
    return "en-GB";
  }
}

function assembleDate(wall: WallClock, dateFormat: DateFormat, locale: string): string {
  const { year, month, day } = wall;
  switch (dateFormat) {
    case "YYYY-MM-DD":
      return `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
    case "DD/MM/YYYY":
      return `${pad2(day)}/${pad2(month)}/${pad4(year)}`;
    case "MM/DD/YYYY":
      return `${pad2(month)}/${pad2(day)}/${pad4(year)}`;
    case "DD.MM.YYYY":
      return `${pad2(day)}.${pad2(month)}.${pad4(year)}`;
    case "D MMM YYYY":
      return `${day} ${getMonthName(month, locale)} ${year}`;
  }
}

function assembleTime(wall: WallClock, timeFormat: TimeFormat, withSeconds: boolean): string {
  const seconds = withSeconds ? `:${pad2(wall.second)}` : "";
  if (timeFormat === "24h") return `${pad2(wall.hour)}:${pad2(wall.minute)}${seconds}`;
  const hour12 = wall.hour % 12 === 0 ? 12 : wall.hour % 12;
  return `${hour12}:${pad2(wall.minute)}${seconds} ${wall.hour < 12 ? "AM" : "PM"}`;
}

/**
 * Minutes east of UTC that `timezone` is at `input` (e.g. 345 for Asia/Kathmandu,
 * 630 or 660 for Australia/Lord_Howe depending on the season).
 */
export function getUtcOffsetMinutes(timezone: string, input: DateInput = new Date()): number {
  const date = toDate(input) ?? new Date();
  const wall = getWallClock(date, timezone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const instant = Math.floor(date.getTime() / 1000) * 1000;
  return Math.round((asUtc - instant) / 60_000);
}

/** `UTC`, `UTC+05:45`, `UTC−03:30` (with a real minus sign) for an offset in minutes. */
export function formatUtcOffset(offsetMinutes: number): string {
  if (offsetMinutes === 0) return "UTC";
  const sign = offsetMinutes > 0 ? "+" : "\u2212";
  const absolute = Math.abs(offsetMinutes);
  return `UTC${sign}${pad2(Math.floor(absolute / 60))}:${pad2(absolute % 60)}`;
}

/**
 * A short label for the zone at that instant: a well-known abbreviation where the runtime
 * has one (`EST`, `EDT`, `UTC`), else the UTC offset (`UTC+01:00`), which is never ambiguous.
 */
export function getZoneLabel(timezone: string, input: DateInput = new Date()): string {
  const date = toDate(input) ?? new Date();
  const zone = safeZone(timezone);
  const name = getFormatter("zone", "en-US", { timeZone: zone, timeZoneName: "short" })
    .formatToParts(date)
    .find((part) => part.type === "timeZoneName")?.value;
  if (name && /^[A-Z]{2,5}$/.test(name)) return name;
  return formatUtcOffset(getUtcOffsetMinutes(zone, date));
}

/** The date alone, e.g. `2026-03-29`, `29/03/2026` or `29 Mar 2026`. */
export function formatDate(input: DateInput | null | undefined, prefs: DisplayPrefs): string {
  const date = toDate(input);
  if (!date) return EMPTY_DATE;
  return assembleDate(getWallClock(date, prefs.timezone), prefs.dateFormat, prefs.locale);
}

/** The time alone, e.g. `14:05` or `2:05 PM` (zone label only when asked). */
export function formatTime(input: DateInput | null | undefined, prefs: DisplayPrefs, options: TimeOptions = {}): string {
  const date = toDate(input);
  if (!date) return EMPTY_DATE;
  const time = assembleTime(getWallClock(date, prefs.timezone), prefs.timeFormat, options.withSeconds ?? false);
  return options.withZone ? `${time} ${getZoneLabel(prefs.timezone, date)}` : time;
}

/**
 * Date and time with the zone label, e.g. `2026-03-29 14:05 UTC+02:00` or
 * `29 Mar 2026, 2:05 PM EDT`. Pass `{withZone: false}` to drop the label.
 */
export function formatDateTime(input: DateInput | null | undefined, prefs: DisplayPrefs, options: TimeOptions = {}): string {
  const date = toDate(input);
  if (!date) return EMPTY_DATE;
  const wall = getWallClock(date, prefs.timezone);
  const separator = prefs.dateFormat === "D MMM YYYY" ? ", " : " ";
  const text = `${assembleDate(wall, prefs.dateFormat, prefs.locale)}${separator}${assembleTime(
    wall,
    prefs.timeFormat,
    options.withSeconds ?? false,
  )}`;
  return options.withZone === false ? text : `${text} ${getZoneLabel(prefs.timezone, date)}`;
}

const RELATIVE_STEPS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.345],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

const relativeCache = new Map<string, Intl.RelativeTimeFormat>();

/**
 * A relative phrase such as `5 minutes ago`, `yesterday` or `in 3 hours`. Under 45 seconds
 * it says `now`. Pair it with an absolute {@link formatDateTime} (e.g. in a `title`).
 */
export function formatRelative(input: DateInput | null | undefined, locale: string, now: DateInput = new Date()): string {
  const date = toDate(input);
  const reference = toDate(now) ?? new Date();
  if (!date) return EMPTY_DATE;
  const tag = safeLocale(locale);
  let formatter = relativeCache.get(tag);
  if (!formatter) {
    formatter = new Intl.RelativeTimeFormat(tag, { numeric: "auto" });
    relativeCache.set(tag, formatter);
  }
  let value = (date.getTime() - reference.getTime()) / 1000;
  if (Math.abs(value) < 45) return formatter.format(0, "second");
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) return formatter.format(Math.round(value), unit);
    value /= size;
  }
  return formatter.format(Math.round(value), "year");
}

/** The zone this browser runs in, e.g. `Europe/Berlin` (UTC when unknown). */
export function getBrowserTimeZone(): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isValidTimeZone(zone) ? zone : "UTC";
}

/** Preferences used before the person's own are known (signed-out pages). */
export function getDefaultPrefs(): DisplayPrefs {
  return {
    timezone: getBrowserTimeZone(),
    dateFormat: "D MMM YYYY",
    timeFormat: "24h",
    locale: typeof navigator === "undefined" ? "en-GB" : (navigator.language ?? "en-GB"),
  };
}

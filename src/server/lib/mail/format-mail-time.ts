/** A person's display preferences (the matching columns of `users`). */
export interface MailTimePrefs {
  timezone: string;
  dateFormat: string;
  timeFormat: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock formatter of a zone; undefined for a zone this runtime does not know. */
function wallClockFormatter(timeZone: string): Intl.DateTimeFormat | undefined {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        hourCycle: "h23",
      });
    } catch {
      return undefined;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const pad = (n: number) => String(n).padStart(2, "0");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `UTC`, `UTC+01:00`, `UTC-05:00`, `UTC+05:45`. */
function offsetLabel(minutes: number): string {
  if (minutes === 0) return "UTC";
  const abs = Math.abs(minutes);
  return `UTC${minutes > 0 ? "+" : "-"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * An instant as mails show it, in the person's zone and formats (the web's format-date does
 * the same for pages): `27.11.2026 21:10 (Europe/Berlin, UTC+01:00)`, `11/27/2026 3:10 PM (…)`.
 * Wall-clock fields come from Intl with `timeZone`, so DST and odd offsets are the runtime's job.
 * An unknown zone renders in UTC rather than failing the mail.
 */
export function formatMailTime(at: number, prefs: MailTimePrefs): string {
  const known = wallClockFormatter(prefs.timezone);
  const zone = known ? prefs.timezone : "UTC";
  const parts = (known ?? (wallClockFormatter("UTC") as Intl.DateTimeFormat)).formatToParts(new Date(at));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  const [year, month, day, hour, minute] = [field("year"), field("month"), field("day"), field("hour") % 24, field("minute")];
  const offset = Math.round(
    (Date.UTC(year, month - 1, day, hour, minute, field("second")) - Math.floor(at / 1000) * 1000) / 60_000,
  );
  const [y, m, d] = [String(year), pad(month), pad(day)];
  const dates: Record<string, string> = {
    "YYYY-MM-DD": `${y}-${m}-${d}`,
    "DD/MM/YYYY": `${d}/${m}/${y}`,
    "MM/DD/YYYY": `${m}/${d}/${y}`,
    "DD.MM.YYYY": `${d}.${m}.${y}`,
    "D MMM YYYY": `${day} ${MONTHS[month - 1]} ${y}`,
  };
  const time =
    prefs.timeFormat === "12h"
      ? `${hour % 12 === 0 ? 12 : hour % 12}:${pad(minute)} ${hour < 12 ? "AM" : "PM"}`
      : `${pad(hour)}:${pad(minute)}`;
  const separator = prefs.dateFormat === "D MMM YYYY" ? ", " : " ";
  const label = offsetLabel(offset);
  return `${dates[prefs.dateFormat] ?? dates["YYYY-MM-DD"]}${separator}${time} (${zone === label ? zone : `${zone}, ${label}`})`;
}

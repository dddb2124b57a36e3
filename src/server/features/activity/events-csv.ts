import type { SecurityEventDto } from "../../../contracts/sessions.js";

/** Columns of the CSV download, in order (the header row). */
export const CSV_COLUMNS = ["id", "type", "at", "result", "ip", "country", "city", "device", "userAgent", "details"] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled.
 * A value starting with `= + - @`, a tab or a carriage return would run as a formula in a
 * spreadsheet (OWASP "CSV Injection"), so it gets a leading `'` first.
 */
export function escapeCsvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A CSV record with its CRLF line break (RFC 4180 §2). */
export function csvLine(values: readonly string[]): string {
  return `${values.map(escapeCsvField).join(",")}\r\n`;
}

/** An event as a CSV record, in {@link CSV_COLUMNS} order. */
export function eventToCsvLine(event: SecurityEventDto): string {
  return csvLine([
    event.id,
    event.type,
    event.at,
    event.result,
    event.ip ?? "",
    event.location?.country ?? "",
    event.location?.city ?? "",
    event.device ?? "",
    event.userAgent ?? "",
    JSON.stringify(event.details),
  ]);
}

import type { SecurityEventDto } from "../../../contracts/sessions.js";
import { toIso } from "../../lib/clock.js";
import type { GeoLocator } from "../sessions/geoip.js";
import { parseUserAgent } from "../sessions/user-agent.js";
import type { EventRow } from "./security-events.repo.js";

/**
 * Keys never shown in `details`, whatever a feature wrote there (defence in depth for I4/J2:
 * the recorder's contract already forbids secrets).
 */
const SECRET_KEY = /password|secret|token|cookie|authorization|^otp$|^codes?$|recoveryCodes?$|hash$|seed$/i;

function parseDetails(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([key]) => !SECRET_KEY.test(key)));
}

/** The only way an event row becomes JSON (and a CSV line): an allow-list of fields. */
export function presentEvent(row: EventRow, geo: GeoLocator): SecurityEventDto {
  const device = parseUserAgent(row.userAgent);
  return {
    id: row.id,
    type: row.type,
    at: toIso(row.at),
    result: row.result === "failure" ? "failure" : "success",
    ip: row.ip,
    location: geo.lookup(row.ip),
    userAgent: row.userAgent,
    device: device.browser ? [device.browser, device.os].filter(Boolean).join(" on ") : null,
    // A folded row stands for several occurrences of the same failure from one source.
    details: {
      ...parseDetails(row.details),
      ...(row.occurrences && row.occurrences > 1 ? { occurrences: row.occurrences } : {}),
    },
  };
}

import { END_REASONS, type EndReason, type SessionDto } from "../../../contracts/sessions.js";
import { toIso, toIsoOrNull } from "../../lib/clock.js";
import type { GeoLocator } from "./geoip.js";
import type { SessionCard } from "./session-row.js";
import { parseUserAgent } from "./user-agent.js";

const isEndReason = (value: string | null): value is EndReason => END_REASONS.includes(value as EndReason);

/**
 * The only way a session row becomes JSON (checklist C9/J2): an allow-list of fields, never the
 * token or its hash. Device fields are parsed from the stored User-Agent; location from the IP.
 */
export function presentSession(
  row: SessionCard,
  currentSessionId: string,
  geo: GeoLocator,
  apps: SessionDto["apps"] = [],
): SessionDto {
  const device = parseUserAgent(row.userAgent);
  return {
    id: row.id,
    current: row.id === currentSessionId,
    createdAt: toIso(row.createdAt),
    lastSeenAt: toIso(row.lastSeenAt),
    expiresAt: toIso(row.expiresAt),
    endedAt: toIsoOrNull(row.endedAt),
    endReason: row.endedAt === null ? null : isEndReason(row.endReason) ? row.endReason : "expired",
    ip: row.ip,
    location: geo.lookup(row.ip),
    userAgent: row.userAgent,
    browser: device.browser,
    os: device.os,
    deviceType: device.deviceType,
    mfa: row.mfaVerified === 1,
    apps,
  };
}

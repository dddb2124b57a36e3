import * as z from "zod";
import { codeSchema, listSchema, pageQuerySchema, passwordInputSchema, timestampSchema } from "./common.js";
import { EVENT_TYPES, type EventType } from "./events.js";

/**
 * Why a session ended (history tab), as precisely as the server knows it: `revoked` is one
 * session ended from another; `signed_out_elsewhere` is "sign out everywhere else";
 * `mfa_enabled` / `mfa_disabled` end the other sessions when MFA is turned on or off;
 * `password_reset` ends every session when a reset link sets a new password; `lockdown` ends
 * every session when the person says "This wasn't me"; `account_disabled`, `mfa_reset` and
 * `revoked_by_admin` are an operator's doing.
 */
export const END_REASONS = [
  "signed_out",
  "revoked",
  "expired",
  "password_changed",
  "account_deleted",
  "signed_out_elsewhere",
  "mfa_enabled",
  "mfa_disabled",
  "password_reset",
  "account_disabled",
  "mfa_reset",
  "revoked_by_admin",
  "lockdown",
] as const;
export type EndReason = (typeof END_REASONS)[number];
/** Kind of device, parsed from the User-Agent on the server. */
export const DEVICE_TYPES = ["desktop", "mobile", "tablet", "bot", "unknown"] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** Where an IP address is, from the operator's GeoIP database (GEOIP_DB). */
export const locationSchema = z.object({
  /** Country name in English (or its ISO code). */
  country: z.string().nullable(),
  city: z.string().nullable(),
});
export type LocationDto = z.infer<typeof locationSchema>;

/** One session of the signed-in person. Never carries the token or its hash (C9, J2). */
export const sessionSchema = z.object({
  /** Opaque, random public id (not the token, not sequential): use it to revoke. */
  id: z.string(),
  /** True for the session making this request. */
  current: z.boolean(),
  /** When the person signed in. */
  createdAt: timestampSchema,
  /** Last request seen (written at most once a minute). */
  lastSeenAt: timestampSchema,
  /** Absolute end of life (SESSION_MAX_HOURS after sign-in). */
  expiresAt: timestampSchema,
  /** When it ended; null while active. */
  endedAt: timestampSchema.nullable(),
  /** Why it ended; null while active. */
  endReason: z.enum(END_REASONS).nullable(),
  /** Client IP at sign-in. */
  ip: z.string().nullable(),
  /** Null when no GeoIP database is configured or the IP is unknown to it. */
  location: locationSchema.nullable(),
  /** The raw User-Agent header at sign-in (max 512 characters). */
  userAgent: z.string().nullable(),
  /** Browser name and major version, e.g. `Chrome 126`. */
  browser: z.string().nullable(),
  /** Operating system, e.g. `Windows`, `macOS`, `iOS 17`, `Android 14`. */
  os: z.string().nullable(),
  deviceType: z.enum(DEVICE_TYPES),
  /** True when a second factor was used in this session. */
  mfa: z.boolean(),
  /** The apps signed in to through this session (single sign-on). */
  apps: z.array(z.object({ clientId: z.string(), name: z.string() })),
});
export type SessionDto = z.infer<typeof sessionSchema>;
export const sessionsResponseSchema = listSchema(sessionSchema);
export type SessionsPage = z.infer<typeof sessionsResponseSchema>;

/** `GET /me/sessions?status=active|ended&limit&cursor`: newest first (by sign-in, or by end for history). */
export const sessionsQuerySchema = pageQuerySchema.extend({
  status: z.enum(["active", "ended"]).default("active"),
});
export const sessionIdParamsSchema = z.object({ id: z.string().min(1).max(64) });

/**
 * Optional body of revocations: ending sessions needs a recent sign-in (C9); a session older
 * than REAUTH_MAX_AGE_MINUTES answers 401 `reauthentication_required` unless the body carries
 * the password (and a code when MFA is on).
 */
export const revokeSessionBodySchema = z
  .object({ password: passwordInputSchema.optional(), code: codeSchema.optional() })
  .strict()
  .nullish();
export type RevokeSessionBody = z.infer<typeof revokeSessionBodySchema>;
export const revokeOthersResponseSchema = z.object({
  /** How many sessions ended. */
  revoked: z.number().int(),
});

/** One entry of the security activity log. `details` never holds a secret. */
export const securityEventSchema = z.object({
  /** Opaque id. */
  id: z.string(),
  /** One of EVENT_TYPES (OWASP logging vocabulary names where one exists). */
  type: z.string(),
  /** When it happened. */
  at: timestampSchema,
  /** Whether the attempt succeeded (`failure` for failed sign-ins, refused requests…). */
  result: z.enum(["success", "failure"]),
  ip: z.string().nullable(),
  /** From the GeoIP database, when configured. */
  location: locationSchema.nullable(),
  userAgent: z.string().nullable(),
  /** Browser and OS parsed from the User-Agent, e.g. `Firefox 127 on Windows`. */
  device: z.string().nullable(),
  /** Non-secret context of the event (e.g. `{reason}`, `{revoked: 2}`). */
  details: z.record(z.string(), z.unknown()),
});
export type SecurityEventDto = z.infer<typeof securityEventSchema>;
export const eventsResponseSchema = listSchema(securityEventSchema);
export type EventsPage = z.infer<typeof eventsResponseSchema>;

const eventTypeSet = new Set<string>(EVENT_TYPES);

/**
 * `type`: one event type or a comma-separated list of them (each must be a known type);
 * `format=csv|json` downloads every matching event as a file instead of a page.
 */
export const eventsQuerySchema = pageQuerySchema.extend({
  type: z
    .string()
    .max(2000)
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return undefined;
      const types = [...new Set(value.split(",").map((t) => t.trim()))].filter(Boolean);
      if (types.some((t) => !eventTypeSet.has(t))) {
        ctx.addIssue({ code: "custom", message: "must be event types from the list, separated by commas" });
        return z.NEVER;
      }
      return types as EventType[];
    }),
  format: z.enum(["json", "csv"]).optional(),
});

import * as z from "zod";
import { timestampSchema } from "./common.js";

/*
 * `GET /me/export`: everything Profile Center holds about the person, as one JSON document
 * downloaded as an attachment; never a secret or a hash (no password hash, token or token hash,
 * TOTP secret, recovery code or mail body). Every time is ISO 8601 in UTC; `timezone` names the
 * person's zone, in which the web app shows them.
 */

const at = timestampSchema;
const atOrNull = at.nullable();
/** Rows whose shape belongs to another feature (passkeys, connected apps, event details). */
const record = z.record(z.string(), z.unknown());

export const exportSessionSchema = z.object({
  id: z.string(),
  status: z.enum(["active", "ended"]),
  createdAt: at,
  lastSeenAt: at,
  expiresAt: at,
  authenticatedAt: at,
  endedAt: atOrNull,
  endReason: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  mfaVerified: z.boolean(),
  activeAccountId: z.string().nullable(),
  /** How the session was signed in, as RFC 8176 `amr` values (`pwd`, `otp`, `hwk`, `swk`, `user`, `mfa`). */
  signInMethods: z.array(z.string()),
});

export const exportDocumentSchema = z.object({
  format: z.literal("profile-center-export/1"),
  exportedAt: at,
  /** The person's IANA time zone: times below are UTC, the person reads them in this zone. */
  timezone: z.string(),
  profile: z.object({
    id: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    phone: z.string().nullable(),
    jobTitle: z.string().nullable(),
    createdAt: at,
    updatedAt: at,
    passwordSet: z.boolean(),
    passwordChangedAt: atOrNull,
    pendingEmail: z.string().nullable(),
    emailVerifiedAt: atOrNull,
    previousEmail: z.string().nullable(),
    emailChangedAt: atOrNull,
    passwordResetRequiredAt: atOrNull,
    /** Set while an operator has the person disabled (they cannot sign in until enabled again). */
    disabledAt: atOrNull,
  }),
  settings: z.object({ locale: z.string(), timezone: z.string(), dateFormat: z.string(), timeFormat: z.string() }),
  consents: z.object({ newsOptIn: z.boolean(), newsOptInChangedAt: atOrNull }),
  accounts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      type: z.string(),
      mfaPolicy: z.string(),
      joinedAt: at,
      groups: z.array(z.object({ id: z.string(), name: z.string(), admin: z.boolean(), addedAt: at })),
      /** Set on the account the person last made active (restored at their next sign-in). */
      lastActiveChosenAt: atOrNull,
    }),
  ),
  twoFactor: z.object({
    totp: z.object({ enrolledAt: at, confirmedAt: atOrNull }).nullable(),
    recoveryCodes: z.array(z.object({ createdAt: at, usedAt: atOrNull })),
  }),
  passkeys: z.array(record),
  connectedApps: z.array(record),
  sessions: z.object({ active: z.array(exportSessionSchema), ended: z.array(exportSessionSchema) }),
  /**
   * Each app (single sign-on) that signed in through one of the person's sessions, with the
   * session it used (`sessionId`, as in `sessions`) and the logout the app was sent when that
   * session ended (`logout`: null while it lasts, else pending | sent | failed | none, the last
   * when the app takes no logout notice).
   */
  appSignIns: z.array(
    z.object({
      sessionId: z.string(),
      clientId: z.string(),
      name: z.string(),
      signedInAt: at,
      endedAt: atOrNull,
      logout: z.enum(["pending", "sent", "failed", "none"]).nullable(),
      logoutDeliveredAt: atOrNull,
    }),
  ),
  devices: z.array(z.object({ device: z.string(), firstSeenAt: at, lastSeenAt: at })),
  securityEvents: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      at,
      result: z.string(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      sessionId: z.string().nullable(),
      accountId: z.string().nullable(),
      details: record,
    }),
  ),
  mailedLinks: z.array(
    z.object({
      purpose: z.string(),
      sentTo: z.string().nullable(),
      createdAt: at,
      expiresAt: at,
      usedAt: atOrNull,
      details: record.nullable(),
    }),
  ),
  mail: z.array(z.object({ to: z.string(), subject: z.string(), status: z.string(), createdAt: at, sentAt: atOrNull })),
});
export type ExportDocument = z.infer<typeof exportDocumentSchema>;
export type ExportSession = z.infer<typeof exportSessionSchema>;

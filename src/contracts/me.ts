import * as z from "zod";
import { emailSchema, nameSchema, passwordInputSchema, timestampSchema, tokenSchema, userIdSchema } from "./common.js";
import { isKnownTimeZone } from "./timezones.js";

/** Date formats a person can choose. */
export const DATE_FORMATS = ["YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY", "D MMM YYYY"] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
/** Time formats a person can choose. */
export const TIME_FORMATS = ["24h", "12h"] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

/** An IANA time zone name, current or link, stored exactly as chosen. */
export const timezoneSchema = z
  .string()
  .max(64, "must be an IANA time zone name")
  .refine((s) => isKnownTimeZone(s), "must be an IANA time zone name such as Europe/Berlin");

/** A BCP 47 language tag the runtime supports, e.g. `en-GB`. */
export const localeSchema = z
  .string()
  .max(35, "must be a BCP 47 language tag")
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a BCP 47 language tag such as en-GB")
  .refine((s) => {
    try {
      return Intl.DateTimeFormat.supportedLocalesOf([s]).length === 1;
    } catch {
      return false;
    }
  }, "must be a language tag this server supports");

/** Phone number in international (E.164) form (`+4930123456`), or null to clear it. */
export const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, "must be a phone number with its country code, e.g. +49 30 123456")
  .nullable();

/** The signed-in person, as `GET /api/v1/me` returns it. */
export const userSchema = z.object({
  id: userIdSchema,
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  phone: z.string().nullable(),
  jobTitle: z.string().nullable(),
  locale: z.string(),
  timezone: z.string(),
  dateFormat: z.enum(DATE_FORMATS),
  timeFormat: z.enum(TIME_FORMATS),
  newsOptIn: z.boolean(),
  /** When consent to news mail was last given or withdrawn. */
  newsOptInChangedAt: timestampSchema.nullable(),
  mfaEnabled: z.boolean(),
  /** The new address awaiting confirmation, if an email change is pending. */
  pendingEmail: z.string().nullable(),
  createdAt: timestampSchema,
});
export type UserDto = z.infer<typeof userSchema>;

/** The fields `PATCH /api/v1/me` may change. */
export const UPDATABLE_ME_FIELDS = [
  "firstName",
  "lastName",
  "phone",
  "jobTitle",
  "locale",
  "timezone",
  "dateFormat",
  "timeFormat",
  "newsOptIn",
] as const;

/**
 * `PATCH /api/v1/me`: any subset of the updatable fields; an unknown field (`role`, `email`,
 * `__proto__`…) refuses the whole body with a message naming it (G4 mass assignment, H5).
 */
export const updateMeSchema = z
  .strictObject(
    {
      firstName: nameSchema,
      lastName: nameSchema,
      /** E.164, or null to clear it. */
      phone: phoneSchema,
      /** Free text like a name, or null to clear it. */
      jobTitle: nameSchema.nullable(),
      locale: localeSchema,
      /** Stored and echoed exactly as chosen (a link such as `Asia/Calcutta` stays as it is). */
      timezone: timezoneSchema,
      dateFormat: z.enum(DATE_FORMATS, { error: `must be one of ${DATE_FORMATS.join(", ")}` }),
      timeFormat: z.enum(TIME_FORMATS, { error: `must be one of ${TIME_FORMATS.join(", ")}` }),
      /** Consent to product news & announcements mail; its time is stored with it. */
      newsOptIn: z.boolean(),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `${issue.keys.join(", ")}: not a field you can change (allowed: ${UPDATABLE_ME_FIELDS.join(", ")})`
          : undefined,
    },
  )
  .partial();
export type UpdateMeInput = z.infer<typeof updateMeSchema>;

/** `POST /api/v1/me/email-change`: the new address and the current password. */
export const emailChangeSchema = z.object({ newEmail: emailSchema, password: passwordInputSchema }).strict();
/** `POST /api/v1/me/email-change/confirm`: the token of the link mailed to the new address. */
export const emailChangeConfirmSchema = z.object({ token: tokenSchema }).strict();

/** `202` answer of `POST /api/v1/me/email-change`: the address awaiting confirmation. */
export const emailChangeRequestedSchema = z.object({
  pendingEmail: z.string(),
  /** When the confirmation link stops working. */
  expiresAt: timestampSchema,
});
export type EmailChangeRequestedDto = z.infer<typeof emailChangeRequestedSchema>;

/** `POST /me/email-verification` 202: where the confirmation link went. */
export const emailVerificationRequestedSchema = z.object({ sentTo: z.string() });
export type EmailVerificationRequestedDto = z.infer<typeof emailVerificationRequestedSchema>;

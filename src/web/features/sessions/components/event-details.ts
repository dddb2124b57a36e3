/**
 * Turns an event's `details` (machine words such as `reason: invalid_code`) into short phrases
 * people read in the activity log (`Wrong code`). Dates in details are shown like every other
 * date: in the person's zone and formats, through the `formatDateTime` passed in.
 */

/** Details that mean nothing to people (internal ids, flags the event's name already says). */
const HIDDEN = new Set([
  "sessionId",
  "current",
  "via",
  "mfaRequired",
  "mfaEnabled",
  "codeRequired",
  "passwordRequired",
  "rehashed",
  "signOutOtherSessions",
  "retryAfterSeconds",
  "groupIds",
  "withPassword",
  "from",
  "to",
  "passkeyId",
  "passkeyRequired",
  "error",
  "mfa",
]);

const REASONS: Record<string, string> = {
  invalid_code: "Wrong code",
  invalid_password: "Wrong password",
  invalid_credentials: "Wrong email or password",
  invalid_token: "Link invalid or expired",
  mfa_setup_required: "Two-factor authentication needed first",
  mfa_not_verified_in_session: "Two-factor authentication not used in this session",
  not_found: "Not found",
  rate_limited: "Too many attempts",
  password_reset_required: "Password must be reset first",
  no_challenge: "Passkey request expired or already used",
  unknown_credential: "Unknown or removed passkey",
  other_person: "Someone else's passkey",
  user_handle_mismatch: "Passkey did not match",
  not_verified: "Passkey not verified",
  counter_not_increased: "Passkey may have been copied (its counter went back)",
  concurrent_use: "Passkey used twice at once",
  already_registered: "Passkey already added",
};

const METHODS: Record<string, string> = {
  totp: "With the authenticator app",
  recovery: "With a recovery code",
  invitation: "By invitation",
  password: "With the password",
  code: "With a code",
  passkey: "With a passkey",
};

const OPERATIONS: Record<string, string> = {
  create_user: "Created your profile",
  add_member: "Added you to an account",
  remove_member: "Removed you from an account",
  set_member_groups: "Changed your groups in an account",
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** `invalid_code` → `invalid code`, `accountName` → `account name`. */
function toWords(text: string): string {
  return text
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

type Phrase = (value: string | number | boolean, formatDateTime: (iso: string) => string) => string | undefined;

/** Phrases for the details people look at most; anything else is said as `key: value`. */
const PHRASES: Record<string, Phrase> = {
  reason: (value) => REASONS[String(value)] ?? capitalize(toWords(String(value))),
  method: (value) => METHODS[String(value)] ?? capitalize(toWords(String(value))),
  factor: (value) => METHODS[String(value)] ?? capitalize(toWords(String(value))),
  operation: (value) => OPERATIONS[String(value)] ?? capitalize(toWords(String(value))),
  accountName: (value) => `Account: ${String(value)}`,
  passkeyName: (value) => `Passkey: ${String(value)}`,
  authenticator: (value) => `Kept by ${String(value)}`,
  backedUp: (value) => (value === true ? "Synced" : "This device only"),
  accountId: (value) => `Account ID: ${String(value)}`,
  until: (value, formatDateTime) => `Until ${formatDateTime(String(value))}`,
  revoked: (value) => (typeof value === "number" ? plural(value, "other session ended", "other sessions ended") : undefined),
  sessionsEnded: (value) => (typeof value === "number" ? plural(value, "session ended", "sessions ended") : undefined),
  otherSessionsEnded: (value) =>
    typeof value === "number" ? plural(value, "other session ended", "other sessions ended") : undefined,
  appsRevoked: (value) =>
    typeof value === "number" && value > 0 ? plural(value, "connected app lost access", "connected apps lost access") : undefined,
  emailRestored: (value) => (value === true ? "Previous email address restored" : undefined),
  emailChangeCancelled: (value) => (value === true ? "Pending email change cancelled" : undefined),
  recoveryCodesLeft: (value) =>
    typeof value === "number" ? plural(value, "recovery code left", "recovery codes left") : undefined,
};

function describeValue(value: string | number | boolean, formatDateTime: (iso: string) => string): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string" && ISO_INSTANT.test(value)) return formatDateTime(value);
  return typeof value === "string" && /^[a-z]+(_[a-z]+)+$/.test(value) ? toWords(value) : String(value);
}

/** `From PA-072-985 to PA-521-554` for an account switch (`from`/`to` as account ids). */
function describeMove(details: Record<string, unknown>): string | undefined {
  const { from, to } = details;
  // Entering the account already active says nothing more than its name.
  if (typeof to !== "string" || from === to) return undefined;
  return typeof from === "string" ? `From ${from} to ${to}` : `To ${to}`;
}

/**
 * The event's non-secret context as one line of phrases joined by ` · `, or an empty string.
 * Nested values (lists, objects) and internal fields are left out.
 */
export function describeEventDetails(details: Record<string, unknown>, formatDateTime: (iso: string) => string): string {
  const phrases: string[] = [];
  const move = describeMove(details);
  if (move) phrases.push(move);
  const { fields } = details;
  if (Array.isArray(fields) && fields.length > 0 && fields.every((field) => typeof field === "string")) {
    phrases.push(`Changed: ${fields.map((field: string) => toWords(field)).join(", ")}`);
  }
  for (const [key, value] of Object.entries(details)) {
    if (HIDDEN.has(key) || value === null || value === undefined || typeof value === "object") continue;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") continue;
    const known = PHRASES[key]?.(value, formatDateTime);
    // A known flag that is off (nothing restored, no app revoked) says nothing worth a phrase.
    if (known === undefined && key in PHRASES && (value === false || value === 0)) continue;
    phrases.push(known ?? `${capitalize(toWords(key))}: ${describeValue(value, formatDateTime)}`);
  }
  return phrases.join(" · ");
}

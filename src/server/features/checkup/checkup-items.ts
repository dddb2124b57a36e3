import type { CheckupItemDto } from "../../../contracts/checkup.js";

/*
 * The security checkup's rules, as a pure function of what the service gathered: each check
 * says ok / warning / action, why, and which page fixes it. Link words never repeat a section's
 * name (Sessions, Security…), so the card's links do not read like the navigation's.
 */

/** Fewer unused recovery codes than this is worth a warning. */
export const RECOVERY_CODES_LOW = 3;
/** A live session not seen for this long is probably a forgotten device. */
export const STALE_SESSION_MS = 30 * 24 * 3_600_000;
/** Sessions made this recently are compared, by country, with the ones before. */
export const NEW_COUNTRY_WINDOW_MS = 30 * 24 * 3_600_000;
/** A connected app unused this long probably no longer needs access. */
export const IDLE_APP_MS = 90 * 24 * 3_600_000;

/** Everything the checks look at. */
export interface CheckupFacts {
  totpEnabled: boolean;
  passkeys: number;
  recoveryCodesLeft: number;
  /** Accounts whose MFA policy the person does not meet (no second factor). */
  unmetPolicies: Array<{ name: string; policy: "required" | "suggested" }>;
  emailVerifiedAt: number | null;
  passwordChangedAt: number | null;
  /** When the breached-password list last reported a breach, if the operator tracks it. */
  lastBreachReportedAt: number | null;
  staleSessions: number;
  /** Countries of the last 30 days' sessions not seen before; null when locations are unknown here. */
  newCountries: string[] | null;
  /** Names of connected apps unused for 90 days, and how many apps there are. */
  idleApps: string[];
  apps: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const list = (names: string[]) => names.join(", ");

function secondFactor(f: CheckupFacts): CheckupItemDto {
  const methods = [
    ...(f.totpEnabled ? ["an authenticator app"] : []),
    ...(f.passkeys > 0 ? [plural(f.passkeys, "passkey")] : []),
  ];
  const base = { id: "second_factor", href: "/profile/security", actionLabel: "Manage two-step sign-in" } as const;
  if (methods.length === 0) {
    return {
      ...base,
      status: "action",
      title: "Two-step sign-in is off",
      detail: "Anyone with your password can sign in. Add an authenticator app or a passkey.",
      actionLabel: "Set up two-step sign-in",
    };
  }
  const count = (f.totpEnabled ? 1 : 0) + f.passkeys;
  return {
    ...base,
    status: "ok",
    title: "Two-step sign-in is on",
    detail: `${plural(count, "method")}: ${methods.join(" and ")}.`,
  };
}

function recoveryCodes(f: CheckupFacts): CheckupItemDto {
  const base = { id: "recovery_codes", href: "/profile/security", actionLabel: "Create new recovery codes" } as const;
  if (!f.totpEnabled) {
    return {
      ...base,
      status: "ok",
      title: "Recovery codes",
      detail: "They come with an authenticator app, when you turn it on.",
      actionLabel: "Manage recovery codes",
    };
  }
  const left = `${plural(f.recoveryCodesLeft, "recovery code")} left.`;
  if (f.recoveryCodesLeft === 0)
    return {
      ...base,
      status: "action",
      title: "No recovery codes left",
      detail: `${left} Without them, losing your phone locks you out.`,
    };
  if (f.recoveryCodesLeft < RECOVERY_CODES_LOW)
    return {
      ...base,
      status: "warning",
      title: "Few recovery codes left",
      detail: `Only ${left} Create new ones and keep them safe.`,
    };
  return { ...base, status: "ok", title: "Recovery codes", detail: left, actionLabel: "Manage recovery codes" };
}

function passkey(f: CheckupFacts): CheckupItemDto {
  const base = { id: "passkey", href: "/profile/security", actionLabel: "Add a passkey" } as const;
  if (f.passkeys > 0)
    return {
      ...base,
      status: "ok",
      title: "Passkey",
      detail: `${plural(f.passkeys, "passkey")} can sign you in without a password.`,
      actionLabel: "Manage passkeys",
    };
  return {
    ...base,
    status: "warning",
    title: "No passkey yet",
    detail: "A passkey signs you in with your device's lock, and cannot be phished.",
  };
}

function accountPolicy(f: CheckupFacts): CheckupItemDto {
  const required = f.unmetPolicies.filter((p) => p.policy === "required").map((p) => p.name);
  const suggested = f.unmetPolicies.filter((p) => p.policy === "suggested").map((p) => p.name);
  const base = { id: "account_mfa_policy", href: "/profile/security", actionLabel: "Set up two-step sign-in" } as const;
  if (required.length > 0) {
    return {
      ...base,
      status: "action",
      title: "Accounts require two-step sign-in",
      detail: `You cannot use ${list(required)} until you turn it on.`,
    };
  }
  if (suggested.length > 0) {
    return {
      ...base,
      status: "warning",
      title: "Accounts ask for two-step sign-in",
      detail: `${list(suggested)} recommend${suggested.length === 1 ? "s" : ""} it.`,
    };
  }
  return {
    ...base,
    status: "ok",
    title: "Account requirements met",
    detail: "You meet the sign-in policy of every account you belong to.",
    actionLabel: "See your memberships",
    href: "/profile/accounts",
  };
}

function emailVerified(f: CheckupFacts): CheckupItemDto {
  const base = { id: "email_verified", href: "/profile/general" } as const;
  if (f.emailVerifiedAt !== null)
    return {
      ...base,
      status: "ok",
      title: "Email address confirmed",
      detail: "Security alerts and reset links reach you.",
      actionLabel: "Edit email address",
    };
  return {
    ...base,
    status: "warning",
    title: "Email address not confirmed",
    detail: "Confirm that your address receives mail: security alerts and password resets go there.",
    actionLabel: "Confirm my email address",
  };
}

function passwordBreach(f: CheckupFacts): CheckupItemDto | null {
  if (f.lastBreachReportedAt === null) return null;
  const base = { id: "password_breach", href: "/profile/security", actionLabel: "Change password" } as const;
  if (f.passwordChangedAt !== null && f.passwordChangedAt >= f.lastBreachReportedAt) {
    return {
      ...base,
      status: "ok",
      title: "Password newer than the last reported breach",
      detail: "It was checked against the breached-password list when you set it.",
    };
  }
  return {
    ...base,
    status: "warning",
    title: "Password older than the last reported breach",
    detail: "It was set before the newest breaches were listed. Choose a new one.",
  };
}

function staleSessions(f: CheckupFacts): CheckupItemDto {
  const base = { id: "stale_sessions", href: "/profile/sessions", actionLabel: "Review signed-in devices" } as const;
  if (f.staleSessions === 0)
    return {
      ...base,
      status: "ok",
      title: "No forgotten sessions",
      detail: "Every signed-in device was used in the last 30 days.",
    };
  return {
    ...base,
    status: "warning",
    title: "Sessions not used for over 30 days",
    detail: `${plural(f.staleSessions, "session")} still signed in but unused: end them.`,
    actionLabel: "End unused sign-ins",
  };
}

function newCountries(f: CheckupFacts): CheckupItemDto {
  const base = { id: "new_countries", href: "/profile/sessions", actionLabel: "Review sign-in locations" } as const;
  if (f.newCountries === null)
    return { ...base, status: "ok", title: "Sign-in locations", detail: "Locations are not available on this server." };
  if (f.newCountries.length === 0)
    return {
      ...base,
      status: "ok",
      title: "No sign-ins from new countries",
      detail: "In the last 30 days, you signed in only from countries seen before.",
    };
  return {
    ...base,
    status: "warning",
    title: "Sign-ins from new countries",
    detail: `In the last 30 days: ${list(f.newCountries)}. If that was not you, secure your account.`,
  };
}

function connectedApps(f: CheckupFacts): CheckupItemDto {
  const base = { id: "connected_apps", href: "/profile/apps", actionLabel: "Manage app access" } as const;
  if (f.idleApps.length > 0)
    return {
      ...base,
      status: "warning",
      title: "Apps unused for 90 days",
      detail: `${list(f.idleApps)} still ${f.idleApps.length === 1 ? "has" : "have"} access. Remove what you no longer use.`,
    };
  return {
    ...base,
    status: "ok",
    title: "Connected apps",
    detail: f.apps === 0 ? "No app is connected to your login." : `${plural(f.apps, "app")}, each used in the last 90 days.`,
  };
}

/** The checkup's items, in the contract's order (the breach check only where it is tracked). */
export function buildCheckupItems(facts: CheckupFacts): CheckupItemDto[] {
  return [
    secondFactor(facts),
    recoveryCodes(facts),
    passkey(facts),
    accountPolicy(facts),
    emailVerified(facts),
    passwordBreach(facts),
    staleSessions(facts),
    newCountries(facts),
    connectedApps(facts),
  ].filter((item): item is CheckupItemDto => item !== null);
}

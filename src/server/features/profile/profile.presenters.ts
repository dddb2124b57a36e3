import type { UserDto } from "../../../contracts/me.js";
import type { UsersTable } from "../../db/schema.js";
import { toIso, toIsoOrNull } from "../../lib/clock.js";

/** The caller as far as the user JSON cares (an `AuthContext` fits). */
export interface MeAuth {
  user: UsersTable;
  mfaEnabled: boolean;
  /** The pending email change when the caller already knows it (the session check reads it). */
  pendingEmail?: string | null;
}

/** The only way a user row becomes JSON (J2: no hash, secret or token ever leaves). */
export function presentUser(user: UsersTable, extra: { mfaEnabled: boolean; pendingEmail?: string | null }): UserDto {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    phone: user.phone,
    jobTitle: user.jobTitle,
    locale: user.locale,
    timezone: user.timezone,
    dateFormat: user.dateFormat as UserDto["dateFormat"],
    timeFormat: user.timeFormat as UserDto["timeFormat"],
    newsOptIn: user.newsOptIn === 1,
    newsOptInChangedAt: toIsoOrNull(user.newsOptInChangedAt),
    mfaEnabled: extra.mfaEnabled,
    pendingEmail: extra.pendingEmail ?? null,
    createdAt: toIso(user.createdAt),
  };
}

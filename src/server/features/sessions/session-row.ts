import type { RowValues } from "../../db/hot-query.js";
import type { SessionsTable, UsersTable } from "../../db/schema.js";
import type { AuthContext } from "../../request-context.js";

/*
 * The row shapes of the sessions repository's prepared statements, each with its select list and
 * its decoder side by side: a statement returns each row as an array of column values, read by
 * position (docs/design/hot-statements.md). A list and its decoder change together; the
 * sessions tests read every field back through both databases.
 */

/** A session row as the pages and the engine read it: never the token hash. */
export type SessionRow = Omit<SessionsTable, "tokenHash">;

/** What a session card shows (`presentSession`) and a page needs to order and check a row. */
export type SessionCard = Pick<
  SessionRow,
  "id" | "createdAt" | "lastSeenAt" | "expiresAt" | "endedAt" | "endReason" | "ip" | "userAgent" | "mfaVerified"
>;

/** Every column of a session but `token_hash`, for Kysely selects (by name, so the hash cannot leak by accident). */
export const SESSION_ROW_FIELDS = [
  "id",
  "createdAt",
  "lastSeenAt",
  "expiresAt",
  "endedAt",
  "endReason",
  "ip",
  "userAgent",
  "mfaVerified",
  "userId",
  "authenticatedAt",
  "mfaPending",
  "activeAccountId",
  "notice",
  "generation",
  "authMethods",
] as const satisfies readonly (keyof SessionRow)[];

/** The select list of a session card (the Sessions pages read only what a card shows). */
export const SESSION_CARD_COLUMNS =
  "id, created_at, last_seen_at, expires_at, ended_at, end_reason, ip, user_agent, mfa_verified";

/** A row selected with {@link SESSION_CARD_COLUMNS}. */
export function decodeSessionCard(v: RowValues): SessionCard {
  return {
    id: v[0] as string,
    createdAt: v[1] as number,
    lastSeenAt: v[2] as number,
    expiresAt: v[3] as number,
    endedAt: v[4] as number | null,
    endReason: v[5] as string | null,
    ip: v[6] as string | null,
    userAgent: v[7] as string | null,
    mfaVerified: v[8] as number,
  };
}

/** What the session check reads: the session (live or not), its person and the facts around them. */
export type SessionCheckRow = Omit<AuthContext, "token">;

/**
 * The session check's select list over `sessions s join users u`: the session (token hash
 * included: it is what the row was found by), the person, then five facts. The first parameter
 * is now (a pending email change still usable).
 */
export const SESSION_CHECK_COLUMNS = `s.id, s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at,
  s.authenticated_at, s.mfa_pending, s.mfa_verified, s.active_account_id, s.notice, s.ip, s.user_agent,
  s.ended_at, s.end_reason, s.generation, s.auth_methods,
  u.id, u.email, u.first_name, u.last_name, u.phone, u.job_title, u.locale, u.timezone, u.date_format,
  u.time_format, u.news_opt_in, u.news_opt_in_changed_at, u.password_hash, u.password_changed_at,
  u.created_at, u.updated_at, u.session_generation, u.unsettled_cut_at, u.unsettled_cut_reason,
  case when exists (
    select 1 from mfa_factors f where f.user_id = s.user_id and f.type = 'totp' and f.confirmed_at is not null
  ) then 1 else 0 end,
  case when exists (select 1 from passkeys p where p.user_id = s.user_id) then 1 else 0 end,
  (select a.mfa_policy from accounts a where a.id = s.active_account_id),
  (select t.email from one_time_tokens t
    where t.user_id = s.user_id and t.purpose = 'email_change' and t.used_at is null and t.expires_at > ?
    order by t.created_at desc limit 1)`;

/** A row selected with {@link SESSION_CHECK_COLUMNS}. */
export function decodeSessionCheck(v: RowValues): SessionCheckRow {
  const session: SessionsTable = {
    id: v[0] as string,
    tokenHash: v[1] as string,
    userId: v[2] as string,
    createdAt: v[3] as number,
    lastSeenAt: v[4] as number,
    expiresAt: v[5] as number,
    authenticatedAt: v[6] as number,
    mfaPending: v[7] as number,
    mfaVerified: v[8] as number,
    activeAccountId: v[9] as string | null,
    notice: v[10] as string | null,
    ip: v[11] as string | null,
    userAgent: v[12] as string | null,
    endedAt: v[13] as number | null,
    endReason: v[14] as string | null,
    generation: v[15] as number,
    authMethods: v[16] as string,
  };
  const user: UsersTable = {
    id: v[17] as string,
    email: v[18] as string,
    firstName: v[19] as string,
    lastName: v[20] as string,
    phone: v[21] as string | null,
    jobTitle: v[22] as string | null,
    locale: v[23] as string,
    timezone: v[24] as string,
    dateFormat: v[25] as string,
    timeFormat: v[26] as string,
    newsOptIn: v[27] as number,
    newsOptInChangedAt: v[28] as number | null,
    passwordHash: v[29] as string | null,
    passwordChangedAt: v[30] as number | null,
    createdAt: v[31] as number,
    updatedAt: v[32] as number,
    sessionGeneration: v[33] as number,
    unsettledCutAt: v[34] as number | null,
    unsettledCutReason: v[35] as string | null,
  };
  return {
    session,
    user,
    mfaEnabled: v[36] === 1 || v[37] === 1,
    totpEnabled: v[36] === 1,
    activeAccountPolicy: v[38] as string | null,
    pendingEmail: v[39] as string | null,
  };
}

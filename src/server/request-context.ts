import type { SessionsTable, UsersTable } from "./db/schema.js";

/*
 * What a request knows about its caller, shared by the HTTP layer (which builds it) and the
 * features (which act on it). A module of types only, importing nothing but the table shapes, so
 * neither side depends on the other.
 */

/** Where a request came from, as far as security events care. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  /** Public session id (never the token). */
  sessionId?: string | null;
  /** The request's id (`X-Request-Id`), so an event can be matched with the request's log line. */
  requestId?: string | null;
}

/** What every authenticated request knows about its caller: one indexed lookup. */
export interface AuthContext {
  session: SessionsTable;
  user: UsersTable;
  /** The person has a second factor: a confirmed authenticator app or a passkey. */
  mfaEnabled: boolean;
  /** The person has a confirmed authenticator app (codes can be asked for). */
  totpEnabled: boolean;
  /** The raw cookie token of this request (never stored, never logged). */
  token: string;
  /** MFA policy of the session's active account (null when none is active). */
  activeAccountPolicy: string | null;
  /** The new address of an email change waiting for its confirmation link, if any. */
  pendingEmail: string | null;
}

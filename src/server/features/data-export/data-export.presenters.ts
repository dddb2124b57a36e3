import type { ExportDocument, ExportSession } from "../../../contracts/data-export.js";
import { toIso, toIsoOrNull } from "../../lib/clock.js";
import type { AppSignIn, ConnectedApp, PasskeyInfo } from "../users/person-sources.js";

/*
 * Rows → the export document. Each presenter names the fields it copies: a column added to a
 * table later does not reach the export by accident (secrets and hashes stay out by construction).
 */

/** A JSON text column as an object (event details, link payloads); unreadable text is kept as such. */
export function parseJsonObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { text };
  }
}

/** A session row (never its token hash). */
export function presentExportSession(
  row: {
    id: string;
    createdAt: number;
    lastSeenAt: number;
    expiresAt: number;
    authenticatedAt: number;
    endedAt: number | null;
    endReason: string | null;
    ip: string | null;
    userAgent: string | null;
    mfaVerified: number;
    activeAccountId: string | null;
    authMethods: string;
  },
  active: boolean,
): ExportSession {
  return {
    id: row.id,
    status: active ? "active" : "ended",
    createdAt: toIso(row.createdAt),
    lastSeenAt: toIso(row.lastSeenAt),
    expiresAt: toIso(row.expiresAt),
    authenticatedAt: toIso(row.authenticatedAt),
    endedAt: toIsoOrNull(row.endedAt),
    endReason: row.endReason,
    ip: row.ip,
    userAgent: row.userAgent,
    mfaVerified: row.mfaVerified === 1,
    activeAccountId: row.activeAccountId,
    signInMethods: row.authMethods.split(" ").filter(Boolean),
  };
}

/** A passkey's metadata. */
export function presentExportPasskey(passkey: PasskeyInfo): ExportDocument["passkeys"][number] {
  return {
    id: passkey.id,
    name: passkey.name,
    authenticator: passkey.authenticator,
    backedUp: passkey.backedUp,
    createdAt: toIso(passkey.createdAt),
    lastUsedAt: toIsoOrNull(passkey.lastUsedAt),
  };
}

/** A connected app (no token of it). */
export function presentExportApp(app: ConnectedApp): ExportDocument["connectedApps"][number] {
  return {
    clientId: app.clientId,
    name: app.name,
    scopes: app.scopes,
    grantedAt: toIso(app.grantedAt),
    lastUsedAt: toIsoOrNull(app.lastUsedAt),
  };
}

/** An app's sign-in through one of the person's sessions (never the `sid` or grant it got). */
export function presentExportAppSignIn(signIn: AppSignIn): ExportDocument["appSignIns"][number] {
  return {
    sessionId: signIn.sessionId,
    clientId: signIn.clientId,
    name: signIn.name,
    signedInAt: toIso(signIn.signedInAt),
    endedAt: toIsoOrNull(signIn.endedAt),
    logout: signIn.logout,
    logoutDeliveredAt: toIsoOrNull(signIn.logoutDeliveredAt),
  };
}

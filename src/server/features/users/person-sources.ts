import type { Executor } from "../../db/schema.js";

/*
 * What other features hold about a person that lockdown, the checkup and the export read or act
 * on: connected apps (single sign-on) and passkeys. Each comes as a small source injected in
 * services.ts; until a feature provides its own, the empty source stands in.
 */

/** One application the person signed in to with Profile Center (single sign-on). */
export interface ConnectedApp {
  clientId: string;
  name: string;
  /** When the person first allowed it. */
  grantedAt: number;
  /** When it last used a token of the person's; null if never. */
  lastUsedAt: number | null;
  scopes: string[];
}

/** An application that signed in through one of the person's Profile Center sessions. */
export interface AppSignIn {
  sessionId: string;
  clientId: string;
  /** The app's name (its client id once the operator deleted it). */
  name: string;
  signedInAt: number;
  /** When the app learned (or was to learn) that the session ended; null while it lasts. */
  endedAt: number | null;
  /** The back-channel logout sent to the app: null while the session lasts. */
  logout: "pending" | "sent" | "failed" | "none" | null;
  logoutDeliveredAt: number | null;
}

/** The person's connected apps, and revoking their tokens (lockdown). */
export interface ConnectedAppsSource {
  listForUser(userId: string): Promise<ConnectedApp[]>;
  /** Every sign-in of an app through one of the person's sessions still on record, oldest first. */
  listSignInsForUser(userId: string): Promise<AppSignIn[]>;
  /** Revokes every token and grant of the person's apps in the caller's transaction; returns how many apps lost access. */
  revokeAllForUser(executor: Executor, userId: string): Promise<number>;
}

/** A passkey's metadata (never its public key or credential id). */
export interface PasskeyInfo {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** The authenticator's name (from its AAGUID), or null. */
  authenticator: string | null;
  backedUp: boolean;
}

/** The person's passkeys. */
export interface PasskeysSource {
  listForUser(userId: string): Promise<PasskeyInfo[]>;
}

/** No connected apps (until single sign-on provides its source). */
export const NO_CONNECTED_APPS: ConnectedAppsSource = {
  listForUser: () => Promise.resolve([]),
  listSignInsForUser: () => Promise.resolve([]),
  revokeAllForUser: () => Promise.resolve(0),
};

/** No passkeys (until the passkeys feature provides its source). */
export const NO_PASSKEYS: PasskeysSource = {
  listForUser: () => Promise.resolve([]),
};

import type { AppSignIn, ConnectedAppsSource } from "../users/person-sources.js";
import type { OidcStateRepo } from "./oidc-state.repo.js";
import type { SsoLinksRepo } from "./sso-links.repo.js";

/**
 * The person's connected apps as lockdown, the checkup and the export see them. Revoking takes
 * every grant (so every refresh and access token) of every app away; the apps stay listed (only
 * Disconnect removes one), and the sessions a lockdown ends are logged out over the back channel
 * like any other ended session.
 */
export function connectedAppsSourceOf(links: SsoLinksRepo, oidcState: OidcStateRepo): ConnectedAppsSource {
  return {
    listForUser: async (userId) =>
      (await links.listApps(userId)).map((app) => ({
        clientId: app.clientId,
        name: app.name,
        grantedAt: app.firstAuthorizedAt,
        lastUsedAt: app.lastUsedAt,
        scopes: app.scopes.split(" ").filter(Boolean),
      })),
    listSignInsForUser: async (userId) =>
      (await links.listLinksOfUser(userId)).map((link) => ({
        sessionId: link.sessionId,
        clientId: link.clientId,
        name: link.name ?? link.clientId,
        signedInAt: link.createdAt,
        endedAt: link.endedAt,
        logout: link.state === "live" ? null : (link.state as AppSignIn["logout"]),
        logoutDeliveredAt: link.deliveredAt,
      })),
    revokeAllForUser: async (executor, userId) => {
      const apps = await links.in(executor).listApps(userId);
      let revoked = 0;
      for (const app of apps) {
        const grants = await oidcState.in(executor).grantIdsOf(userId, app.clientId);
        for (const grantId of grants) await oidcState.in(executor).revokeByGrantId(grantId);
        if (grants.length > 0) revoked++;
      }
      return revoked;
    },
  };
}

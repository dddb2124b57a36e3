import type { AdminClientDto, ConnectedAppDto } from "../../../contracts/sso.js";
import type { OidcClientsTable, SsoAppsTable } from "../../db/schema.js";
import { toIso } from "../../lib/clock.js";

export type ClientView = AdminClientDto;

export function presentClient(row: OidcClientsTable): ClientView {
  return {
    clientId: row.clientId,
    name: row.name,
    redirectUris: JSON.parse(row.redirectUris) as string[],
    postLogoutRedirectUris: JSON.parse(row.postLogoutRedirectUris) as string[],
    backchannelLogoutUri: row.backchannelLogoutUri,
    public: row.isPublic === 1,
    requireMfa: row.requireMfa === 1,
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
  };
}

export function presentConnectedApp(row: SsoAppsTable & { name: string }): ConnectedAppDto {
  return {
    clientId: row.clientId,
    name: row.name,
    scopes: row.scopes.split(" ").filter(Boolean),
    firstAuthorizedAt: toIso(row.firstAuthorizedAt),
    lastUsedAt: toIso(row.lastUsedAt),
  };
}

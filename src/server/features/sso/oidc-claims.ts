import type { AccountClaims, KoaContextWithOIDC } from "oidc-provider";
import type { ClaimsUser } from "./oidc-token-lookup.repo.js";
import type { SsoDeps } from "./sso.deps.js";

/** The person's accounts as the `accounts` claim lists them. */
export interface AccountClaim {
  id: string;
  name: string;
  type: string;
  groups: string[];
  mfa_policy: string;
  entry_allowed: boolean;
}

type ClaimsDeps = Pick<SsoDeps, "myAccountPages" | "links" | "mfaFactors">;

/** The claims of the scopes granted (contract "Single sign-on"), `sub` always. */
export async function accountClaims(
  deps: ClaimsDeps,
  user: ClaimsUser,
  scope: string,
  ctx: KoaContextWithOIDC | undefined,
  token: { grantId?: string | undefined; amr?: string[] | undefined } | undefined,
): Promise<AccountClaims> {
  const scopes = new Set(scope.split(" "));
  const claims: AccountClaims = { sub: user.id };
  if (scopes.has("profile")) {
    Object.assign(claims, {
      name: `${user.firstName} ${user.lastName}`.trim(),
      given_name: user.firstName,
      family_name: user.lastName,
      locale: user.locale,
      zoneinfo: user.timezone,
      updated_at: Math.floor(user.updatedAt / 1000),
    });
  }
  if (scopes.has("email")) Object.assign(claims, { email: user.email, email_verified: true });
  if (scopes.has("phone") && user.phone) claims.phone_number = user.phone;
  if (scopes.has("accounts")) {
    const grantId = token?.grantId ?? ctx?.oidc.entities.AccessToken?.grantId;
    const link = grantId ? await deps.links.findByGrant(grantId) : undefined;
    // With a second factor in this sign-in (or, for userinfo, MFA on) every account may be entered.
    const mfa = token?.amr ? token.amr.includes("mfa") : await deps.mfaFactors.hasConfirmedTotp(user.id);
    const rows = await deps.myAccountPages.readPage({ userId: user.id, limit: 100 });
    const accounts: AccountClaim[] = rows.slice(0, 100).map((row) => ({
      id: row.id,
      name: row.name,
      type: row.type,
      groups: row.groups.map((g) => g.name),
      mfa_policy: row.mfaPolicy,
      entry_allowed: row.mfaPolicy !== "required" || mfa,
    }));
    claims.accounts = accounts;
    const active = link?.activeAccountId ?? null;
    claims.active_account = active && accounts.some((a) => a.id === active) ? active : null;
  }
  return claims;
}

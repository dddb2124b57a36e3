import { errors, interactionPolicy, type KoaContextWithOIDC } from "oidc-provider";
import type { AuthContext } from "../../request-context.js";
import { SCOPES, type PcAuthReader, type PcState } from "./oidc-shared.js";
import { ACR_MFA } from "./sso-amr.js";
import type { SsoClients } from "./sso-clients.service.js";
import type { SsoDeps } from "./sso.deps.js";

/**
 * The provider's login prompt with our checks first: supported scopes, a Profile Center
 * session, max_age on our clock, and a second factor where the client, `acr_values` or the
 * `account=` asks for one (a non-member of that account is refused).
 */
export function createLoginPolicy(deps: Pick<SsoDeps, "clock">, clients: SsoClients, pcAuthOf: PcAuthReader) {
  /**
   * Whether this authorization needs a second factor: the client requires it, `acr_values` asks
   * for it, or `account=` names an account whose policy is `required`. A person who is not a
   * member of the named account is refused (`access_denied`).
   */
  async function mfaRequired(ctx: KoaContextWithOIDC, auth: AuthContext): Promise<boolean> {
    const { params, client } = ctx.oidc;
    let needed = client?.metadata().require_mfa === true;
    const acrValues = typeof params?.acr_values === "string" ? params.acr_values.split(" ") : [];
    if (acrValues.includes(ACR_MFA)) needed = true;
    const account = typeof params?.account === "string" ? params.account : undefined;
    if (account !== undefined) {
      const policy = await clients.accountPolicy(auth.user.id, account);
      if (policy === undefined) throw new errors.AccessDenied("you are not a member of the requested account");
      if (policy === "required") needed = true;
    }
    return needed;
  }

  const { Check, Prompt, base } = interactionPolicy;
  const policy = base();
  const login = policy.get("login")!;
  const supportedScopes: ReadonlySet<string> = new Set(SCOPES);
  // An unknown scope is refused (invalid_scope, RFC 6749 §4.1.2.1), not silently dropped.
  login.checks.add(
    new Check("supported_scopes", "every requested scope must be supported", (ctx) => {
      // The provider drops unknown scopes before the checks run: read what the request said.
      const raw = (ctx.state as PcState).requestedScope;
      const requested = typeof raw === "string" ? raw.split(" ") : [];
      const unknown = requested.find((scope) => scope && !supportedScopes.has(scope));
      if (unknown !== undefined) throw new errors.InvalidScope("requested scope is not supported", unknown);
      return Check.NO_NEED_TO_PROMPT;
    }),
    0,
  );
  // Then: a Profile Center session (the provider's session adopted it when loaded, see below).
  login.checks.add(
    new Check("pc_session", "Profile Center sign-in is required", "login_required", async (ctx) => {
      const auth = await pcAuthOf(ctx);
      return auth && ctx.oidc.session?.accountId === auth.user.id ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
    1,
  );
  // max_age judged by our clock, against the Profile Center session's last sign-in.
  login.checks.add(
    new Check("pc_max_age", "End-User authentication is too old", "login_required", async (ctx) => {
      const maxAge = ctx.oidc.params?.max_age;
      const auth = await pcAuthOf(ctx);
      if (maxAge === undefined || !auth || ctx.oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
      return deps.clock.now() - auth.session.authenticatedAt > Number(maxAge) * 1000
        ? Check.REQUEST_PROMPT
        : Check.NO_NEED_TO_PROMPT;
    }),
    2,
  );
  login.checks.add(
    new Check("mfa_required", "A second factor is required", "interaction_required", async (ctx) => {
      const auth = await pcAuthOf(ctx);
      if (!auth) return Check.NO_NEED_TO_PROMPT; // signing in comes first (pc_session)
      if (!(await mfaRequired(ctx, auth))) return Check.NO_NEED_TO_PROMPT;
      return auth.session.mfaVerified === 1 ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
    3,
  );
  void Prompt;
  return policy;
}

import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import type { AuthContext } from "../../request-context.js";
import { interactionPath } from "./oidc-provider.js";
import { acrFor, amrFor, methodsOfSession } from "./sso-amr.js";
import type { SsoClients } from "./sso-clients.service.js";
import type { SsoDeps } from "./sso.deps.js";

/** Where the interaction page sends the browser next. */
export type InteractionStep = { redirect: string } | { error: string; description: string };

type InteractionDeps = Pick<SsoDeps, "clock" | "oidcState" | "mfaFactors">;

/** The web pages of the steps (the web app's routes). */
export const SSO_PAGES = {
  login: "/login",
  confirm: "/sso/confirm",
  mfaSetup: "/sso/mfa-setup",
} as const;

const withNext = (page: string, next: string, extra: Record<string, string> = {}) =>
  `${page}?${new URLSearchParams({ next, ...extra }).toString()}`;

/**
 * The provider's interactions, answered with Profile Center's own sign-in: the provider sends
 * the browser to `/oidc/interaction/<uid>`; this decides, from the Profile Center session, which of
 * our pages comes next (sign in, confirm it's you, the code step, MFA set-up), and finishes the
 * interaction once the session meets what the request asks for.
 */
export function createSsoInteractions(deps: InteractionDeps, provider: () => Provider, clients: SsoClients) {
  async function step(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    auth: AuthContext | null,
  ): Promise<InteractionStep> {
    const op = provider();
    const details = await op.interactionDetails(req, res);
    if (details.uid !== uid) return { error: "invalid_request", description: "This sign-in request is not the one in progress." };
    const here = interactionPath(uid);
    const { prompt, params } = details;

    if (!auth || auth.session.mfaPending === 1) return { redirect: withNext(SSO_PAGES.login, here) };

    const finish = async (result: Parameters<Provider["interactionResult"]>[2]) => ({
      redirect: await op.interactionResult(req, res, result, { mergeWithLastSubmission: false }),
    });

    if (prompt.name === "login") {
      const reasons = new Set(prompt.reasons);
      const account = typeof params.account === "string" ? params.account : undefined;
      if (account !== undefined && (await clients.accountPolicy(auth.user.id, account)) === undefined) {
        return finish({ error: "access_denied", error_description: "you are not a member of the requested account" });
      }
      if (reasons.has("id_token_hint") || reasons.has("claims_id_token_sub_value")) {
        return finish({ error: "login_required", error_description: "a different person is signed in" });
      }
      // A fresh sign-in: asked by prompt=login (the session must authenticate again after this
      // request arrived: its sign-in time then is kept in the interaction), or max_age passed.
      const confirm = { redirect: withNext(SSO_PAGES.confirm, here, { mode: "password" }) };
      if (reasons.has("login_prompt")) {
        const before = (details.result as { pc?: { authenticatedBefore?: number } } | undefined)?.pc?.authenticatedBefore;
        if (before === undefined) {
          await op.interactionResult(
            req,
            res,
            { pc: { authenticatedBefore: auth.session.authenticatedAt } },
            { mergeWithLastSubmission: true },
          );
          return confirm;
        }
        if (auth.session.authenticatedAt <= before) return confirm;
      }
      const maxAge = params.max_age === undefined ? undefined : Number(params.max_age);
      if (maxAge !== undefined && deps.clock.now() - auth.session.authenticatedAt > maxAge * 1000) return confirm;
      if (reasons.has("mfa_required") && auth.session.mfaVerified !== 1) {
        const hasFactor = await deps.mfaFactors.hasConfirmedTotp(auth.user.id);
        return { redirect: hasFactor ? withNext(SSO_PAGES.confirm, here, { mode: "code" }) : withNext(SSO_PAGES.mfaSetup, here) };
      }
      // A provider session left from an earlier Profile Center session is not reused: one per sign-in.
      const previous = details.session;
      if (previous?.uid && (await deps.oidcState.sessionIdOfUid(previous.uid)) !== auth.session.id) {
        const stale = await op.Session.findByUid(previous.uid);
        if (stale) await stale.destroy();
        details.session = undefined;
        await details.save(Math.max(1, (details.exp ?? 0) - Math.floor(Date.now() / 1000)));
      }
      const amr = amrFor(methodsOfSession(auth.session));
      return finish({
        login: {
          accountId: auth.user.id,
          ts: Math.floor(auth.session.authenticatedAt / 1000),
          amr,
          acr: acrFor(amr),
          remember: true,
        },
      });
    }

    if (prompt.name === "consent") {
      // First-party clients: grant what is asked (loadExistingGrant normally makes this unreachable).
      const grant = details.grantId
        ? ((await op.Grant.find(details.grantId)) ??
          new op.Grant({ accountId: auth.user.id, clientId: String(params.client_id) }))
        : new op.Grant({ accountId: auth.user.id, clientId: String(params.client_id) });
      const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      return finish({ consent: { grantId } });
    }
    return finish({ error: "access_denied", error_description: "this request cannot be completed" });
  }

  /** The person cancelled on one of our pages: the client gets `access_denied` (with `state` and `iss`). */
  async function cancel(req: IncomingMessage, res: ServerResponse, uid: string): Promise<string> {
    const op = provider();
    const details = await op.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error("interaction mismatch");
    return op.interactionResult(
      req,
      res,
      { error: "access_denied", error_description: "the person cancelled the sign-in" },
      { mergeWithLastSubmission: false },
    );
  }

  return { step, cancel };
}

export type SsoInteractions = ReturnType<typeof createSsoInteractions>;

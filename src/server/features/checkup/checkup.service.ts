import type { CheckupResponseDto } from "../../../contracts/checkup.js";
import type { Clock } from "../../lib/clock.js";
import type { AuthContext } from "../../request-context.js";
import type { AccountsRepo } from "../accounts/accounts.repo.js";
import type { MfaRepo } from "../security/mfa/mfa.repo.js";
import type { GeoLocator } from "../sessions/geoip.js";
import type { SessionStore } from "../sessions/session-store.js";
import { isLive, type SessionsRepo } from "../sessions/sessions.repo.js";
import type { ConnectedAppsSource, PasskeysSource } from "../users/person-sources.js";
import type { UserSecurityStatesRepo } from "../users/user-security-states.repo.js";
import { buildCheckupItems, IDLE_APP_MS, NEW_COUNTRY_WINDOW_MS, STALE_SESSION_MS, type CheckupFacts } from "./checkup-items.js";

export interface CheckupDeps {
  mfaFactors: MfaRepo;
  accountRows: AccountsRepo;
  sessionRows: SessionsRepo;
  sessions: Pick<SessionStore, "settleSessionsOf" | "idleMs">;
  securityStates: UserSecurityStatesRepo;
  geo: GeoLocator;
  passkeys: PasskeysSource;
  connectedApps: ConnectedAppsSource;
  clock: Clock;
  /** When the breached-password list last reported a breach; null while not tracked (the check is left out). */
  lastBreachReportedAt: () => number | null;
}

type SessionFacts = Pick<CheckupFacts, "staleSessions" | "newCountries">;

/** The security checkup of the signed-in person: read-only, from what the product already holds. */
export function createCheckupService(deps: CheckupDeps) {
  const { clock } = deps;

  /**
   * Live sessions unseen for 30 days, and the countries of the last 30 days' sign-ins not seen
   * in the sessions before (only when there were earlier sessions with a known country: a
   * person's first countries are not "new").
   */
  async function sessionFacts(auth: AuthContext): Promise<SessionFacts> {
    await deps.sessions.settleSessionsOf(auth.user.id);
    const rows = (await deps.sessionRows.listAllOfUser(auth.user.id)).filter((r) => r.mfaPending === 0);
    const now = clock.now();
    const live = { now, idleMs: deps.sessions.idleMs };
    const staleSessions = rows.filter(
      (r) => r.generation === auth.user.sessionGeneration && isLive(r, live) && now - r.lastSeenAt > STALE_SESSION_MS,
    ).length;
    if (!deps.geo.enabled) return { staleSessions, newCountries: null };
    const since = now - NEW_COUNTRY_WINDOW_MS;
    const countryOf = (ip: string | null) => deps.geo.lookup(ip)?.country ?? null;
    const before = new Set(rows.filter((r) => r.createdAt < since).map((r) => countryOf(r.ip)));
    before.delete(null);
    if (before.size === 0) return { staleSessions, newCountries: [] };
    const recent = new Set(rows.filter((r) => r.createdAt >= since).map((r) => countryOf(r.ip)));
    const newCountries = [...recent].filter((c): c is string => c !== null && !before.has(c)).sort();
    return { staleSessions, newCountries };
  }

  /** `GET /me/checkup`. */
  async function runCheckup(auth: AuthContext): Promise<CheckupResponseDto> {
    const userId = auth.user.id;
    const now = clock.now();
    const passkeys = (await deps.passkeys.listForUser(userId)).length;
    const hasSecondFactor = auth.mfaEnabled || passkeys > 0;
    const apps = await deps.connectedApps.listForUser(userId);
    const memberships = await deps.accountRows.listAccountsOfUser(userId);
    const state = await deps.securityStates.findState(userId);
    const facts: CheckupFacts = {
      totpEnabled: auth.mfaEnabled,
      passkeys,
      recoveryCodesLeft: auth.mfaEnabled ? await deps.mfaFactors.countUnusedRecoveryCodes(userId) : 0,
      unmetPolicies: hasSecondFactor
        ? []
        : memberships
            .filter((m) => m.mfaPolicy === "required" || m.mfaPolicy === "suggested")
            .map((m) => ({ name: m.name, policy: m.mfaPolicy as "required" | "suggested" })),
      emailVerifiedAt: state?.emailVerifiedAt ?? null,
      passwordChangedAt: auth.user.passwordChangedAt,
      lastBreachReportedAt: deps.lastBreachReportedAt(),
      ...(await sessionFacts(auth)),
      idleApps: apps.filter((a) => now - (a.lastUsedAt ?? a.grantedAt) > IDLE_APP_MS).map((a) => a.name),
      apps: apps.length,
    };
    return { items: buildCheckupItems(facts) };
  }

  return { runCheckup };
}

export type CheckupService = ReturnType<typeof createCheckupService>;

/*
 * The repositories: every table's statements, each in the repository of the feature that owns the
 * table, and the read-only views some features take of another's tables. They are built from the
 * open database alone, before any service, so that any service can be handed the ones it uses.
 */
import type { Db } from "../db/database.js";
import { createAccountsRepo } from "../features/accounts/accounts.repo.js";
import { createMyAccountPages } from "../features/accounts/my-accounts.repo.js";
import { createSecurityEventsRepo } from "../features/activity/security-events.repo.js";
import { createKeyChecksRepo } from "../features/keys/key-checks.repo.js";
import { createMailOutboxRepo } from "../features/mail/mail-outbox.repo.js";
import { passkeysSourceOf } from "../features/passkeys/passkeys-source.js";
import { createPasskeysRepo } from "../features/passkeys/passkeys.repo.js";
import { createWebauthnChallengesRepo } from "../features/passkeys/webauthn-challenges.repo.js";
import { createPeopleRepo } from "../features/people/people.repo.js";
import { createMfaRepo } from "../features/security/mfa/mfa.repo.js";
import { createKnownDevicesRepo } from "../features/sessions/known-devices.repo.js";
import { createSessionsRepo } from "../features/sessions/sessions.repo.js";
import { connectedAppsSourceOf } from "../features/sso/connected-apps-source.js";
import { createOidcClientsRepo } from "../features/sso/oidc-clients.repo.js";
import { createOidcStateRepo } from "../features/sso/oidc-state.repo.js";
import { createOidcTokenLookup } from "../features/sso/oidc-token-lookup.repo.js";
import { createSessionApps } from "../features/sso/session-apps.repo.js";
import { createSsoLinksRepo } from "../features/sso/sso-links.repo.js";
import { createThrottlesRepo } from "../features/throttle/throttles.repo.js";
import { createOneTimeTokensRepo } from "../features/tokens/one-time-tokens.repo.js";
import { createUserSecurityStatesRepo } from "../features/users/user-security-states.repo.js";
import { createUsersRepo } from "../features/users/users.repo.js";

/** Every table's repository, and the views of single sign-on and passkeys other features read. */
export function createRepositories(database: Db) {
  const { db, dialect, prepareHot } = database;
  const passkeyRows = createPasskeysRepo(db);
  const oidcState = createOidcStateRepo(db);
  const ssoLinks = createSsoLinksRepo(db);
  return {
    users: createUsersRepo(db),
    sessionRows: createSessionsRepo(db, prepareHot),
    accountRows: createAccountsRepo(db, dialect),
    myAccountPages: createMyAccountPages(prepareHot),
    mfaFactors: createMfaRepo(db),
    tokens: createOneTimeTokensRepo(db),
    securityEvents: createSecurityEventsRepo(db),
    mailOutbox: createMailOutboxRepo(db),
    throttles: createThrottlesRepo(db),
    devices: createKnownDevicesRepo(db),
    peopleRows: createPeopleRepo(db),
    keyChecks: createKeyChecksRepo(db),
    passkeyRows,
    webauthnChallenges: createWebauthnChallengesRepo(db),
    securityStates: createUserSecurityStatesRepo(db),
    oidcClients: createOidcClientsRepo(db),
    oidcState,
    ssoLinks,
    oidcTokens: createOidcTokenLookup(prepareHot),
    sessionApps: createSessionApps(prepareHot),
    // What single sign-on and passkeys hold about a person, for lockdown, checkup and export.
    passkeySource: passkeysSourceOf(passkeyRows),
    connectedApps: connectedAppsSourceOf(ssoLinks, oidcState),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

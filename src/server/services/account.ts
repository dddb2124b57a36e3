/*
 * What a signed-in person does with their own account (profile, password, sessions, activity,
 * lockdown, export, checkup, deletion, linked accounts), and what an operator does with people.
 * Built after sign-in: several of them ask for a recent sign-in, and lockdown sends a reset link.
 */
import { createAccountsService } from "../features/accounts/accounts.service.js";
import { createActivityService } from "../features/activity/activity.service.js";
import type { PasswordResetService } from "../features/auth/password-reset.service.js";
import type { RecentAuth } from "../features/auth/recent-auth.js";
import { createCheckupService } from "../features/checkup/checkup.service.js";
import { createDataExportService } from "../features/data-export/data-export.service.js";
import { createLockdownService } from "../features/lockdown/lockdown.service.js";
import { createPeopleService } from "../features/people/people.service.js";
import { createProfileService } from "../features/profile/profile.service.js";
import { createDeletionService } from "../features/security/deletion/deletion.service.js";
import { createPasswordService } from "../features/security/password/password.service.js";
import { createSessionInsightsService } from "../features/sessions/session-insights.service.js";
import { createSessionsService } from "../features/sessions/sessions.service.js";
import type { Basics, Engines } from "./engines.js";
import type { Repositories } from "./repositories.js";

export function createAccountServices(
  deps: Basics & {
    tables: Repositories;
    engines: Engines;
    recentAuth: RecentAuth;
    issueResetLink: PasswordResetService["issueResetLink"];
  },
) {
  const { config, db, clock, logger, recentAuth } = deps;
  const { users, sessionRows, accountRows, myAccountPages, mfaFactors, tokens, securityEvents, mailOutbox } = deps.tables;
  const { throttles, devices, peopleRows, passkeyRows, securityStates, sessionApps, passkeySource, connectedApps } = deps.tables;
  const { events, sessions, hasher, mailer, geo, throttle, credentials, lockdownLinks } = deps.engines;

  const profile = createProfileService({
    db,
    users,
    tokens,
    mfaFactors,
    passkeyRows,
    clock,
    config,
    events,
    mailer,
    logger,
    credentials,
    lockdownLinks,
    securityStates,
    throttle,
  });
  const password = createPasswordService({
    db,
    users,
    tokens,
    clock,
    config,
    hasher,
    events,
    mailer,
    sessions,
    logger,
    credentials,
    recentAuth,
    lockdownLinks,
    securityStates,
  });
  const deletion = createDeletionService({
    db,
    users,
    accountRows,
    securityEvents,
    mailOutbox,
    throttles,
    clock,
    config,
    events,
    mailer,
    sessions,
    logger,
    recentAuth,
  });
  const sessionInsights = createSessionInsightsService({
    db,
    devices,
    users,
    clock,
    mailer,
    geo,
    logger,
    publicUrl: config.publicUrl,
    lockdownLinks,
  });
  const sessionsService = createSessionsService({
    db,
    clock,
    sessions,
    sessionRows,
    events,
    recentAuth,
    geo,
    appsOfSessions: (userId, ids) => sessionApps.appsOfSessions(userId, ids),
  });
  const activity = createActivityService({ events: securityEvents, clock, geo });
  const people = createPeopleService({
    db,
    people: peopleRows,
    users,
    accountRows,
    mfaFactors,
    sessionRows,
    throttles,
    sessions,
    events,
    mailer,
    clock,
    logger,
    config,
    // Passkeys are counted and removed with the rest on an operator's MFA reset.
    secondFactors: [
      {
        kind: "passkeys",
        countFor: (userId) => passkeyRows.countForUser(userId),
        removeAllFor: (executor, userId) => passkeyRows.in(executor).deleteAllForUser(userId),
      },
    ],
    deleteUser: deletion.deleteUserAsOperator,
  });
  const lockdown = createLockdownService({
    db,
    users,
    tokens,
    sessionRows,
    securityStates,
    clock,
    events,
    mailer,
    logger,
    sessions,
    connectedApps,
    issueResetLink: deps.issueResetLink,
    publicUrl: config.publicUrl,
  });
  const dataExport = createDataExportService({
    db,
    users,
    securityStates,
    people: peopleRows,
    accountRows,
    mfaFactors,
    sessionRows,
    sessions,
    securityEvents,
    devices,
    tokens,
    mailOutbox,
    passkeys: passkeySource,
    connectedApps,
    recentAuth,
    events,
    clock,
  });
  const checkup = createCheckupService({
    mfaFactors,
    accountRows,
    sessionRows,
    sessions,
    securityStates,
    geo,
    passkeys: passkeySource,
    connectedApps,
    clock,
    // The bundled breached-password list carries no breach dates: the check stays out until one does.
    lastBreachReportedAt: () => null,
  });
  const accounts = createAccountsService({
    db,
    accountRows,
    myAccountPages,
    users,
    securityStates,
    tokens,
    sessionRows,
    clock,
    events,
    mailer,
    hasher,
    sessions,
    config,
  });

  return {
    profile,
    password,
    deletion,
    sessionInsights,
    sessionsService,
    activity,
    people,
    lockdown,
    dataExport,
    checkup,
    accounts,
  };
}

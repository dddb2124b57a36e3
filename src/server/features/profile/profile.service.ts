import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { ResolvedConfig } from "../../config.js";
import type { Clock } from "../../lib/clock.js";
import type { Mailer } from "../mail/mailer.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import { UPDATABLE_ME_FIELDS, type UpdateMeInput, type UserDto } from "../../../contracts/me.js";
import type { Updateable } from "kysely";
import type { Database, Executor, UsersTable } from "../../db/schema.js";
import type { RequestMeta } from "../../request-context.js";
import type { CredentialCheck } from "../auth/credential-check.js";
import type { MfaRepo } from "../security/mfa/mfa.repo.js";
import type { Throttle } from "../throttle/throttle.js";
import type { OneTimeTokensRepo } from "../tokens/one-time-tokens.repo.js";
import type { UsersRepo } from "../users/users.repo.js";
import { createEmailChange } from "./email-change.js";
import { presentUser, type MeAuth } from "./profile.presenters.js";
import { profileErrors } from "./profile.errors.js";

export interface ProfileServiceDeps {
  db: Kysely<Database>;
  users: UsersRepo;
  tokens: OneTimeTokensRepo;
  mfaFactors: MfaRepo;
  clock: Clock;
  config: Pick<ResolvedConfig, "publicUrl">;
  events: EventRecorder;
  mailer: Mailer;
  logger: FastifyBaseLogger;
  /** The shared, throttled password check (sign-in's budget). */
  credentials: CredentialCheck;
  /** Limits email-change requests per person and per new address. */
  throttle: Throttle;
}

/** The General section: the user JSON, profile edits and the email change. */
export function createProfileService(deps: ProfileServiceDeps) {
  const { db, users, tokens, clock, events } = deps;

  /**
   * The user JSON every endpoint answers with (sign-in, invitations, MFA, /me): the row, whether
   * MFA is on, and the address of a pending email change, if any.
   */
  async function presentMe(auth: MeAuth, executor: Executor = db): Promise<UserDto> {
    const pendingEmail =
      auth.pendingEmail !== undefined
        ? auth.pendingEmail
        : ((await tokens.in(executor).findOpenTokenOfUser("email_change", auth.user.id, clock.now()))?.email ?? null);
    return presentUser(auth.user, { mfaEnabled: auth.mfaEnabled, pendingEmail });
  }

  /**
   * Applies a validated `PATCH /me` body. Only allow-listed fields are written; nothing is
   * written (and no event recorded) when no value actually changes. The event names the changed
   * fields only, never their values (personal data stays out of the audit log).
   */
  async function updateMe(auth: MeAuth, input: UpdateMeInput, meta: RequestMeta): Promise<UserDto> {
    return db.transaction().execute(async (trx) => {
      const current = await users.in(trx).findById(auth.user.id);
      if (!current) throw profileErrors.userGone();
      const now = clock.now();
      const changes: Updateable<UsersTable> = {};
      const changed: string[] = [];
      for (const field of UPDATABLE_ME_FIELDS) {
        const value = input[field];
        if (value === undefined) continue;
        const stored = field === "newsOptIn" ? (value ? 1 : 0) : value;
        if (current[field] === stored) continue;
        Object.assign(changes, { [field]: stored });
        changed.push(field);
      }
      // Consent to news mail is stored with the time it was given or withdrawn (GDPR Art. 7(1)).
      if (changed.includes("newsOptIn")) changes.newsOptInChangedAt = now;
      if (changed.length === 0) return presentMe({ user: current, mfaEnabled: auth.mfaEnabled }, trx);
      changes.updatedAt = now;
      await users.in(trx).update(current.id, changes);
      await events.recordEvent(trx, { type: "profile_updated", userId: current.id, details: { fields: changed }, meta });
      return presentMe({ user: { ...current, ...changes } as UsersTable, mfaEnabled: auth.mfaEnabled }, trx);
    });
  }

  const emailChange = createEmailChange({ ...deps, presentMe });

  return {
    presentMe,
    updateMe,
    requestEmailChange: emailChange.requestEmailChange,
    confirmEmailChange: emailChange.confirmEmailChange,
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;

import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { ResolvedConfig } from "../../config.js";
import type { Database, Executor } from "../../db/schema.js";
import type { Clock } from "../../lib/clock.js";
import type { RequestMeta } from "../../request-context.js";
import type { AccountsRepo } from "../accounts/accounts.repo.js";
import type { Actor } from "../accounts/accounts.deps.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import type { Mailer } from "../mail/mailer.js";
import type { MfaRepo } from "../security/mfa/mfa.repo.js";
import type { SessionStore } from "../sessions/session-store.js";
import type { SessionsRepo } from "../sessions/sessions.repo.js";
import type { ThrottlesRepo } from "../throttle/throttles.repo.js";
import type { UsersRepo } from "../users/users.repo.js";
import type { PeopleRepo } from "./people.repo.js";

/**
 * A kind of second factor that another feature keeps (passkeys): how many a person has, and
 * removing them all in the caller's transaction when an operator resets the person's MFA. The
 * authenticator app and recovery codes are this feature's own business (the MFA repo).
 */
export interface SecondFactorSource {
  /** e.g. `passkeys`: the key of the count in the person's MFA state. */
  kind: "passkeys";
  countFor(userId: string): Promise<number>;
  /** Removes every factor of this kind of the person; returns how many. */
  removeAllFor(executor: Executor, userId: string): Promise<number>;
}

/** What the people feature needs, injected from services.ts. */
export interface PeopleDeps {
  db: Kysely<Database>;
  /** The feature's own table (`disabled_users`) and the list of people. */
  people: PeopleRepo;
  users: UsersRepo;
  accountRows: AccountsRepo;
  mfaFactors: MfaRepo;
  sessionRows: SessionsRepo;
  throttles: ThrottlesRepo;
  sessions: SessionStore;
  events: EventRecorder;
  mailer: Mailer;
  clock: Clock;
  logger: FastifyBaseLogger;
  config: Pick<ResolvedConfig, "publicUrl">;
  /** Second factors other features keep (passkeys); none until such a feature is wired in. */
  secondFactors: readonly SecondFactorSource[];
  /** The deletion feature's erasure, as self-deletion does it (409 `sole_admin` likewise). */
  deleteUser: (
    userId: string,
    meta: RequestMeta,
    alsoRecord: (trx: Executor, pseudonym: string, sessionsEnded: number) => Promise<void>,
  ) => Promise<boolean>;
}

export type { Actor };

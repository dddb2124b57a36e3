import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { Clock } from "../../lib/clock.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import type { AccountsRepo } from "../accounts/accounts.repo.js";
import type { Mailer } from "../mail/mailer.js";
import type { MfaRepo } from "../security/mfa/mfa.repo.js";
import type { SessionStore } from "../sessions/session-store.js";
import type { Throttle } from "../throttle/throttle.js";
import type { UsersRepo } from "../users/users.repo.js";
import type { PasskeysRepo } from "./passkeys.repo.js";
import type { RelyingParty } from "./relying-party.js";
import type { WebauthnChallengesRepo } from "./webauthn-challenges.repo.js";

/** What the Passkeys feature is built from (explicit collaborators, never the services bag). */
export interface PasskeysDeps {
  db: Kysely<Database>;
  passkeys: PasskeysRepo;
  challenges: WebauthnChallengesRepo;
  users: UsersRepo;
  /** Whether the person also has an authenticator app. */
  mfaFactors: MfaRepo;
  /** Which accounts require MFA of the person (refusing to remove the last second factor). */
  accountRows: AccountsRepo;
  sessions: SessionStore;
  events: EventRecorder;
  mailer: Mailer;
  throttle: Throttle;
  clock: Clock;
  logger: FastifyBaseLogger;
  rp: RelyingParty;
  publicUrl: string;
}

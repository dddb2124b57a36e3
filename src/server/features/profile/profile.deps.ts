import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { ResolvedConfig } from "../../config.js";
import type { Database } from "../../db/schema.js";
import type { Clock } from "../../lib/clock.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import type { CredentialCheck } from "../auth/credential-check.js";
import type { LockdownLinkIssuer } from "../lockdown/lockdown-links.js";
import type { Mailer } from "../mail/mailer.js";
import type { PasskeysRepo } from "../passkeys/passkeys.repo.js";
import type { MfaRepo } from "../security/mfa/mfa.repo.js";
import type { Throttle } from "../throttle/throttle.js";
import type { OneTimeTokensRepo } from "../tokens/one-time-tokens.repo.js";
import type { UserSecurityStatesRepo } from "../users/user-security-states.repo.js";
import type { UsersRepo } from "../users/users.repo.js";

/** What the profile service (and the email change it runs) is built from. */
export interface ProfileServiceDeps {
  db: Kysely<Database>;
  users: UsersRepo;
  tokens: OneTimeTokensRepo;
  mfaFactors: MfaRepo;
  /** Passkeys count as a second factor too. */
  passkeyRows: PasskeysRepo;
  clock: Clock;
  config: Pick<ResolvedConfig, "publicUrl">;
  events: EventRecorder;
  mailer: Mailer;
  logger: FastifyBaseLogger;
  /** The shared, throttled password check (sign-in's budget). */
  credentials: CredentialCheck;
  /** Limits email-change requests per person and per new address. */
  throttle: Throttle;
  /** The "This wasn't me" links of the email-change notices. */
  lockdownLinks: LockdownLinkIssuer;
  securityStates: UserSecurityStatesRepo;
}

import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { ResolvedConfig } from "../../config.js";
import type { Database, Executor } from "../../db/schema.js";
import type { Clock } from "../../lib/clock.js";
import type { PasswordHasher } from "../../lib/crypto/password-hasher.js";
import type { Mailer } from "../mail/mailer.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import type { RequestMeta } from "../../request-context.js";
import type { SessionStore } from "../sessions/session-store.js";
import type { SessionsRepo } from "../sessions/sessions.repo.js";
import type { OneTimeTokensRepo } from "../tokens/one-time-tokens.repo.js";
import type { UserSecurityStatesRepo } from "../users/user-security-states.repo.js";
import type { UsersRepo } from "../users/users.repo.js";
import type { AccountsRepo } from "./accounts.repo.js";
import type { MyAccountPages } from "./my-accounts.repo.js";

/** What the accounts feature needs, injected from services.ts. */
export interface AccountsDeps {
  db: Kysely<Database>;
  /** The feature's own tables. */
  accountRows: AccountsRepo;
  /** The member's account list, on every visit of the Accounts page (prepared statements). */
  myAccountPages: MyAccountPages;
  users: UsersRepo;
  /** Records that an invited person proved their address by opening the mailed link. */
  securityStates: UserSecurityStatesRepo;
  tokens: OneTimeTokensRepo;
  /** The sessions' active account and notice. */
  sessionRows: SessionsRepo;
  clock: Clock;
  events: EventRecorder;
  mailer: Mailer;
  hasher: PasswordHasher;
  sessions: SessionStore;
  config: Pick<ResolvedConfig, "publicUrl" | "passwordMinLength">;
}

/** Who performs an operator action (admin API, CLI or the demo seed), for the audit trail. */
export interface Actor {
  via: "api" | "cli" | "seed";
  meta: RequestMeta;
  /** The request's id (`X-Request-Id`) for the API, one id per run for the CLI: joins the event to the log lines. */
  requestId?: string;
}

/** The actor of a CLI command: the operator at the machine's shell. */
export const CLI_ACTOR: Actor = {
  via: "cli",
  meta: { ip: null, userAgent: "profile-center admin CLI" },
  requestId: `cli-${randomUUID()}`,
};

/** Invitations are valid this long. */
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

/**
 * Records one operator action (`admin_action`, with the operation and the channel) in the
 * caller's transaction: every admin API call and CLI command leaves a row.
 */
export function recordAdminAction(
  deps: Pick<AccountsDeps, "events">,
  ex: Executor,
  actor: Actor,
  operation: string,
  target: { accountId?: string | null; userId?: string | null; details?: Record<string, unknown> } = {},
): Promise<void> {
  return deps.events.recordEvent(ex, {
    type: "admin_action",
    userId: target.userId ?? null,
    accountId: target.accountId ?? null,
    details: { operation, via: actor.via, ...(actor.requestId ? { requestId: actor.requestId } : {}), ...target.details },
    meta: actor.meta,
  });
}

/** Sends queued mail now without holding up the caller; the outbox retries what fails. */
export function deliverSoon(mailer: Mailer): void {
  mailer.deliverDueMail().catch(() => undefined);
}

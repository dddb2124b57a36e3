import type { FastifyBaseLogger } from "fastify";
import type { Executor } from "../../db/schema.js";
import type { Clock } from "../../lib/clock.js";
import type { Encryptor } from "../../lib/crypto/encrypt.js";
import type { AuthContext, RequestMeta } from "../../request-context.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import type { MyAccountPages } from "../accounts/my-accounts.repo.js";
import type { MfaRepo } from "../security/mfa/mfa.repo.js";
import type { SessionsRepo } from "../sessions/sessions.repo.js";
import type { UsersRepo } from "../users/users.repo.js";
import type { OidcClientsRepo } from "./oidc-clients.repo.js";
import type { OidcStateRepo } from "./oidc-state.repo.js";
import type { OidcTokenLookup } from "./oidc-token-lookup.repo.js";
import type { SsoLinksRepo } from "./sso-links.repo.js";

/** What single sign-on is built from (services.ts). */
export interface SsoDeps {
  db: Executor;
  publicUrl: string;
  secure: boolean;
  sessionMaxHours: number;
  /** Sessions idle this long are over (the session engine's rule). */
  idleMs: number;
  clock: Clock;
  logger: FastifyBaseLogger;
  encryptor: Encryptor;
  events: EventRecorder;
  users: UsersRepo;
  mfaFactors: MfaRepo;
  sessionRows: SessionsRepo;
  myAccountPages: MyAccountPages;
  oidcClients: OidcClientsRepo;
  oidcState: OidcStateRepo;
  /** Prepared reads of tokens, their grants and sessions (userinfo, introspection). */
  oidcTokens: OidcTokenLookup;
  links: SsoLinksRepo;
  /** The Profile Center session behind a cookie token, when valid now (the session engine). */
  validateSessionToken(token: string): Promise<AuthContext | undefined>;
  /** Checks an authenticator or recovery code (the MFA service: throttled, replay-safe). */
  verifySecondFactor(userId: string, code: string, meta: RequestMeta): Promise<{ ok: boolean }>;
  /** Gives the session a new token, recording what the step proved (the session engine). */
  rotateSession(
    executor: Executor,
    sessionId: string,
    changes: { authenticated?: boolean; mfaVerified?: boolean; methods?: readonly string[] },
  ): Promise<string>;
  /** Ends one Profile Center session (RP-initiated logout). */
  endSession(executor: Executor, sessionId: string, reason: "signed_out" | "expired", at?: number): Promise<boolean>;
  /** Counts a back-channel logout attempt by its result (the `/metrics` counter). */
  countLogoutDelivery?: (result: "delivered" | "failed") => void;
}

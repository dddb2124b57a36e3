import type { Executor } from "../../db/schema.js";
import type { Clock } from "../../lib/clock.js";
import type { OneTimeTokensRepo } from "../tokens/one-time-tokens.repo.js";

/** A "This wasn't me" link works once, for this long (long enough to notice an alert after a trip). */
export const LOCKDOWN_TOKEN_TTL_MS = 7 * 24 * 3_600_000;

/** Who a security alert with a "This wasn't me" link goes to. */
export interface LockdownLinkTarget {
  userId: string;
  /** The address the mail goes to: a lockdown from the address an email change left undoes that change. */
  sentTo: string;
}

/** Makes the "This wasn't me — secure my account" link of a security alert mail. */
export interface LockdownLinkIssuer {
  /** Stores a new single-use token (its hash only) in the caller's transaction; returns the page's URL holding it. */
  issueLockdownUrl(executor: Executor, target: LockdownLinkTarget): Promise<string>;
}

/**
 * Every alert (new device, password changed, MFA off, email changed) carries its own link, each
 * usable once within 7 days; only the SHA-256 of its token is stored (one-time-tokens repo). The
 * link itself changes nothing: it opens a page that says what will happen and asks to confirm.
 */
export function createLockdownLinks(deps: { tokens: OneTimeTokensRepo; clock: Clock; publicUrl: string }): LockdownLinkIssuer {
  return {
    async issueLockdownUrl(executor, target) {
      const now = deps.clock.now();
      const token = await deps.tokens.in(executor).issueToken({
        purpose: "lockdown",
        userId: target.userId,
        email: target.sentTo,
        payload: null,
        now,
        expiresAt: now + LOCKDOWN_TOKEN_TTL_MS,
      });
      return `${deps.publicUrl}/lockdown?token=${encodeURIComponent(token)}`;
    },
  };
}

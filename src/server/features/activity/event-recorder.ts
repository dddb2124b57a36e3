import type { FastifyBaseLogger } from "fastify";
import type { Executor } from "../../db/schema.js";
import type { Clock } from "../../lib/clock.js";
import { newOpaqueId } from "../../lib/ids.js";
import type { RequestMeta } from "../../request-context.js";
import type { SecurityEventsRepo } from "./security-events.repo.js";

export interface SecurityEventInput {
  /** e.g. `authn_login_success` (OWASP logging vocabulary where one exists). */
  type: string;
  userId: string | null;
  result?: "success" | "failure";
  accountId?: string | null;
  /** Non-secret context; never passwords, codes, tokens or secrets. */
  details?: Record<string, unknown>;
  meta?: RequestMeta;
}

/**
 * Writes security events in the caller's transaction (so the audit row and the change it
 * records commit together) and mirrors each as one structured log line.
 */
export function createEventRecorder({
  events,
  clock,
  logger,
  observe,
}: {
  events: SecurityEventsRepo;
  clock: Clock;
  logger?: FastifyBaseLogger;
  /** Sees every event once written (the metrics count them). */
  observe?: (event: SecurityEventInput) => void;
}) {
  async function recordEvent(executor: Executor, event: SecurityEventInput): Promise<void> {
    const at = clock.now();
    const result = event.result ?? "success";
    await events.in(executor).insert({
      id: newOpaqueId(),
      userId: event.userId,
      type: event.type,
      at,
      ip: event.meta?.ip ?? null,
      userAgent: event.meta?.userAgent?.slice(0, 512) ?? null,
      sessionRef: event.meta?.sessionId ?? null,
      accountId: event.accountId ?? null,
      result,
      details: JSON.stringify(event.details ?? {}),
    });
    observe?.(event);
    logger?.info(
      {
        event: event.type,
        result,
        userId: event.userId,
        accountId: event.accountId ?? undefined,
        sessionId: event.meta?.sessionId ?? undefined,
        ip: event.meta?.ip ?? undefined,
        userAgent: event.meta?.userAgent ?? undefined,
      },
      "security event",
    );
  }
  return { recordEvent };
}

export type EventRecorder = ReturnType<typeof createEventRecorder>;

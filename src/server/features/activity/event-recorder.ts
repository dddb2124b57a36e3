import type { FastifyBaseLogger } from "fastify";
import type { Executor } from "../../db/schema.js";
import type { Clock } from "../../lib/clock.js";
import { newOpaqueId } from "../../lib/ids.js";
import type { RequestMeta } from "../../request-context.js";
import { createEventSampler, type EventSampler } from "./event-sampler.js";
import type { SecurityEventsRepo } from "./security-events.repo.js";

/** Stored sizes are capped: a request decides what it sends, not how much the audit trail keeps. */
export const EVENT_FIELD_LIMITS = { userAgent: 256, ip: 64, detailString: 256, details: 2048 } as const;

/**
 * Failures never folded: an operator's refused calls come with the operator token, so they are
 * no flood, and each stays its own audit row.
 */
const NEVER_FOLDED: ReadonlySet<string> = new Set(["admin_action"]);

/** The details as stored: each string cut to its cap, the whole JSON within its cap. */
function storedDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return "{}";
  const capped = Object.fromEntries(
    Object.entries(details).map(([key, value]) => [
      key,
      typeof value === "string" ? value.slice(0, EVENT_FIELD_LIMITS.detailString) : value,
    ]),
  );
  const text = JSON.stringify(capped);
  return text.length <= EVENT_FIELD_LIMITS.details ? text : JSON.stringify({ truncated: true });
}

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
 * records commit together) and mirrors each as one structured log line. Failures repeated by
 * one source are folded into a counting row past a few (event-sampler.ts), so a flood of refused
 * requests cannot fill the disk or bury the events that matter.
 */
export function createEventRecorder({
  events,
  clock,
  logger,
  sampler = createEventSampler(),
  observe,
}: {
  events: SecurityEventsRepo;
  clock: Clock;
  logger?: FastifyBaseLogger;
  sampler?: EventSampler;
  /** Sees every event once written (the metrics count them). */
  observe?: (event: SecurityEventInput) => void;
}) {
  async function recordEvent(executor: Executor, event: SecurityEventInput): Promise<void> {
    const at = clock.now();
    const result = event.result ?? "success";
    const ip = event.meta?.ip?.slice(0, EVENT_FIELD_LIMITS.ip) ?? null;
    const placement =
      result === "failure" && !NEVER_FOLDED.has(event.type)
        ? sampler.place({ type: event.type, userId: event.userId, accountId: event.accountId ?? null, ip }, at)
        : undefined;
    const row = {
      id: newOpaqueId(),
      userId: event.userId,
      type: event.type,
      at,
      ip,
      userAgent: event.meta?.userAgent?.slice(0, EVENT_FIELD_LIMITS.userAgent) ?? null,
      sessionRef: event.meta?.sessionId ?? null,
      accountId: event.accountId ?? null,
      result,
      details: storedDetails(event.details),
      requestId: event.meta?.requestId ?? null,
    };
    if (placement?.fold) await events.in(executor).insertOrCount({ ...row, aggregateKey: placement.aggregateKey });
    else await events.in(executor).insert(row);
    observe?.(event);
    if (placement?.fold) return; // folded occurrences are counted, not logged one by one either
    logger?.info(
      {
        event: event.type,
        result,
        userId: event.userId,
        accountId: event.accountId ?? undefined,
        sessionId: event.meta?.sessionId ?? undefined,
        ip: ip ?? undefined,
        userAgent: row.userAgent ?? undefined,
        reqId: row.requestId ?? undefined,
      },
      "security event",
    );
  }
  return { recordEvent };
}

export type EventRecorder = ReturnType<typeof createEventRecorder>;

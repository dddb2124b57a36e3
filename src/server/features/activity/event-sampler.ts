import { hashToken } from "../../lib/crypto/hash-token.js";

/** How repeated failure events are folded (see {@link createEventSampler}). */
export interface EventSamplingPolicy {
  /** Length of a time slice; counts start afresh in each. */
  sliceMs: number;
  /** Occurrences of one event from one source kept as rows of their own per slice. */
  keepEach: number;
  /** Rows of their own per slice, all sources together, before everything folds. */
  maxIndividual: number;
  /** Sources tracked per slice; past it, new sources fold into one row per event type. */
  maxSources: number;
}

export const EVENT_SAMPLING: EventSamplingPolicy = {
  sliceMs: 10 * 60_000,
  keepEach: 5,
  maxIndividual: 1000,
  maxSources: 1000,
};

/** Where an event goes: a row of its own, or folded into the row of `aggregateKey`. */
export type EventPlacement = { fold: false } | { fold: true; aggregateKey: string };

/**
 * Decides which failure events are stored one by one and which are folded into a counting row,
 * so that a flood of refused requests (CSRF-less posts, wrong passwords, unknown-address resets)
 * writes a bounded number of rows per time slice instead of one per request, while ordinary
 * traffic (a few failures of a person) stays row by row.
 *
 * A source is the event type with the person, the account and the client address. Per slice: the first
 * `keepEach` occurrences of a source get rows; later ones fold into one row per source; past
 * `maxIndividual` rows or `maxSources` sources, everything folds (per source while known, else
 * per type). Counts live in this process: each node keeps its own bound.
 */
export function createEventSampler(policy: EventSamplingPolicy = EVENT_SAMPLING) {
  let slice = -1;
  let individual = 0;
  const seen = new Map<string, number>();

  function place(
    source: { type: string; userId: string | null; accountId: string | null; ip: string | null },
    now: number,
  ): EventPlacement {
    const current = Math.floor(now / policy.sliceMs);
    if (current !== slice) {
      slice = current;
      individual = 0;
      seen.clear();
    }
    const key = `${source.type}\u0000${source.userId ?? ""}\u0000${source.accountId ?? ""}\u0000${source.ip ?? ""}`;
    const count = seen.get(key);
    if (count === undefined && seen.size >= policy.maxSources) {
      return { fold: true, aggregateKey: `${slice}:${hashToken(`${source.type}\u0000*`)}` };
    }
    const next = (count ?? 0) + 1;
    seen.set(key, next);
    if (next <= policy.keepEach && individual < policy.maxIndividual) {
      individual += 1;
      return { fold: false };
    }
    return { fold: true, aggregateKey: `${slice}:${hashToken(key)}` };
  }

  return { place };
}

export type EventSampler = ReturnType<typeof createEventSampler>;

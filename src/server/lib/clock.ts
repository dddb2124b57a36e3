/** The one source of time for sessions, TOTP, throttles and tokens; tests inject a fake. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export interface FakeClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function createFakeClock(start = Date.UTC(2026, 10, 27, 12, 0, 0)): FakeClock {
  let current = start;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/** Epoch ms → wire timestamp. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Nullable epoch ms → nullable wire timestamp. */
export function toIsoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

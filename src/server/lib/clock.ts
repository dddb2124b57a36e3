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

const DAY_MS = 86_400_000;
/** 0001-01-01 and 9999-12-31T23:59:59.999Z: outside, the ISO form changes width (±YYYYYY). */
const FAST_MIN = Date.UTC(1, 0, 1);
const FAST_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** `YYYY-MM-DDT` of the last days written, by day number modulo 8 (one answer spans a few days). */
const dayOfSlot = new Float64Array(8).fill(Number.NaN);
const prefixOfSlot: string[] = new Array<string>(8).fill("");

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * Epoch ms → wire timestamp, exactly `new Date(ms).toISOString()`. Every list answer writes
 * four per row, and V8's `toISOString` is slow enough to show in a list request's CPU, so the
 * date part is kept for the last days written (the timestamps of one answer share a few:
 * signed in yesterday, seen today, expiring tomorrow) and the time of day is written by hand.
 */
export function toIso(ms: number): string {
  if (!Number.isInteger(ms) || ms < FAST_MIN || ms > FAST_MAX) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  const slot = day & 7;
  if (dayOfSlot[slot] !== day) {
    prefixOfSlot[slot] = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayOfSlot[slot] = day;
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${prefixOfSlot[slot]}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1000)}Z`;
}

/** Nullable epoch ms → nullable wire timestamp. */
export function toIsoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : toIso(ms);
}

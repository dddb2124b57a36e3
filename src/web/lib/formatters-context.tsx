import { createContext, useContext, useMemo } from "react";
import type { ReactNode } from "react";
import type { DateInput, DisplayPrefs, TimeOptions } from "./format-date";
import { formatDate, formatDateTime, formatRelative, formatTime, getDefaultPrefs, getZoneLabel } from "./format-date";
import { useMe } from "./current-user";

/** Date/time formatters bound to one person's preferences. */
export interface Formatters {
  prefs: DisplayPrefs;
  /** `2026-03-29 14:05 UTC+02:00`; see format-date's `formatDateTime`. */
  dateTime: (input: DateInput | null | undefined, options?: TimeOptions) => string;
  date: (input: DateInput | null | undefined) => string;
  time: (input: DateInput | null | undefined, options?: TimeOptions) => string;
  /** `5 minutes ago`. */
  relative: (input: DateInput | null | undefined, now?: DateInput) => string;
  /** `CEST` / `UTC+05:45` of the person's zone at that instant (now by default). */
  zoneLabel: (input?: DateInput) => string;
}

/** Binds every formatter of format-date to `prefs`. */
export function createFormatters(prefs: DisplayPrefs): Formatters {
  return {
    prefs,
    dateTime: (input, options) => formatDateTime(input, prefs, options),
    date: (input) => formatDate(input, prefs),
    time: (input, options) => formatTime(input, prefs, options),
    relative: (input, now) => formatRelative(input, prefs.locale, now),
    zoneLabel: (input) => getZoneLabel(prefs.timezone, input),
  };
}

const FormattersContext = createContext<Formatters | undefined>(undefined);

/**
 * Provides formatters built from the signed-in person's preferences, read from the
 * `GET /api/v1/me` query: when a PATCH updates that query's data, every page re-renders
 * with the new zone and formats at once. Mount it only inside signed-in routes.
 */
export function FormattersProvider({ children }: { children: ReactNode }) {
  const { data: me } = useMe();
  const timezone = me?.timezone;
  const dateFormat = me?.dateFormat;
  const timeFormat = me?.timeFormat;
  const locale = me?.locale;
  const value = useMemo(() => {
    const defaults = getDefaultPrefs();
    return createFormatters({
      timezone: timezone ?? defaults.timezone,
      dateFormat: dateFormat ?? defaults.dateFormat,
      timeFormat: timeFormat ?? defaults.timeFormat,
      locale: locale ?? defaults.locale,
    });
  }, [timezone, dateFormat, timeFormat, locale]);
  return <FormattersContext.Provider value={value}>{children}</FormattersContext.Provider>;
}

let browserFormatters: Formatters | undefined;

/**
 * The formatters every page uses to show dates and times. Inside the signed-in shell they
 * follow the person's preferences; elsewhere (sign-in pages) the browser's zone.
 */
export function useFormatters(): Formatters {
  const fromContext = useContext(FormattersContext);
  if (fromContext) return fromContext;
  browserFormatters ??= createFormatters(getDefaultPrefs());
  return browserFormatters;
}

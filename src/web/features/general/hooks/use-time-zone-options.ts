import { useMemo } from "react";
import { getTimeZones, timeZonesNames } from "@vvo/tzdb";
import type { TimeZone } from "@vvo/tzdb";
import type { ComboboxOption } from "../../../components/ui/combobox";
import { formatUtcOffset, getUtcOffsetMinutes, isValidTimeZone } from "../../../lib/format-date";

/** One selectable zone: its current IANA name, offset now, and words to search by. */
export interface TimeZoneOption extends ComboboxOption {
  offsetMinutes: number;
}

function cityOf(name: string): string {
  return (name.split("/").pop() ?? name).replace(/_/g, " ");
}

/**
 * Every current IANA zone name (tzdb's list plus UTC), each labelled with its UTC offset
 * *now* (computed with Intl, so DST is right today) and its main cities. Sorted by offset, then
 * name; a search ranks a zone by its own city and name first (old names such as `Asia/Calcutta`
 * or `Europe/Kiev` count as the zone's own), then by its country and the main cities around it.
 * tzdb groups zones that keep the same time (Detroit with New York): the group's cities, old
 * names and time name belong to the zone that names the group only, so "new york" finds New York.
 */
export function buildTimeZoneOptions(now: Date = new Date()): TimeZoneOption[] {
  const groups = new Map<string, TimeZone>();
  for (const zone of getTimeZones({ includeUtc: true })) for (const name of zone.group) groups.set(name, zone);
  const names = new Set<string>(["UTC", ...timeZonesNames]);
  const options: TimeZoneOption[] = [];
  for (const name of names) {
    if (!isValidTimeZone(name)) continue;
    const group = groups.get(name);
    const offsetMinutes = getUtcOffsetMinutes(name, now);
    const namesGroup = group?.name === name ? group : undefined;
    const cities = namesGroup ? namesGroup.mainCities.slice(0, 3) : [cityOf(name)];
    const aliases = namesGroup ? namesGroup.group.filter((alias) => !names.has(alias)) : [];
    options.push({
      value: name,
      label: `(${offsetMinutes === 0 ? "UTC+00:00" : formatUtcOffset(offsetMinutes)}) ${name.replace(/_/g, " ")}`,
      description:
        name === "UTC" ? "Coordinated Universal Time" : [cities.join(", "), group?.countryName].filter(Boolean).join(" · "),
      keywords: [group?.alternativeName, group?.abbreviation].filter(Boolean).join(" "),
      rankBy: [
        [name, cityOf(name), ...aliases, ...aliases.map(cityOf)],
        [group?.countryName ?? "", ...(namesGroup?.mainCities ?? []), namesGroup?.alternativeName ?? ""].filter(Boolean),
      ],
      offsetMinutes,
    });
  }
  return options.sort((a, b) => a.offsetMinutes - b.offsetMinutes || a.value.localeCompare(b.value));
}

/** Maps a stored zone (possibly an old link name such as `Asia/Calcutta`) to the listed current name. */
export function toCurrentZoneName(zone: string, options: readonly TimeZoneOption[]): string {
  if (options.some((option) => option.value === zone)) return zone;
  const group = getTimeZones({ includeUtc: true }).find((candidate) => candidate.group.includes(zone));
  return group?.name ?? zone;
}

/** The zone options, built once per page view. */
export function useTimeZoneOptions(): TimeZoneOption[] {
  return useMemo(() => buildTimeZoneOptions(), []);
}

import { getTimeZones } from "@vvo/tzdb";

/**
 * Every IANA zone name we accept: the current names of @vvo/tzdb (a maintained tzdb
 * extract), their links (`Asia/Calcutta`, `Europe/Kiev`…), `UTC`, and whatever this runtime's
 * ICU lists. Node 20's `Intl.supportedValuesOf('timeZone')` alone is not enough: it omits `UTC`
 * and knows some zones only under old names, so it is merged in rather than used as the list.
 * A name is kept only when the runtime can format in it, so a stored zone always renders.
 */
function collectZoneNames(): Set<string> {
  const names = new Set<string>(["UTC"]);
  for (const zone of getTimeZones({ includeUtc: true })) {
    names.add(zone.name);
    for (const alias of zone.group) names.add(alias);
  }
  for (const name of Intl.supportedValuesOf("timeZone")) names.add(name);
  for (const name of names) if (!canFormatIn(name)) names.delete(name);
  return names;
}

function canFormatIn(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

let zoneNames: Set<string> | undefined;

/** True when `name` is an IANA zone name (current or link) this product accepts. */
export function isKnownTimeZone(name: string): boolean {
  zoneNames ??= collectZoneNames();
  return zoneNames.has(name);
}

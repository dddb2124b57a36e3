import fs from "node:fs";
import type { FastifyBaseLogger } from "fastify";
import { Reader, type CityResponse } from "maxmind";

/** Where an IP address is, as far as the operator's GeoIP database knows. */
export interface GeoLocation {
  /** English country name (falls back to the ISO code). */
  country: string | null;
  city: string | null;
}

/** Looks up IP addresses; `lookup` answers null when unknown or when no database is configured. */
export interface GeoLocator {
  readonly enabled: boolean;
  /** Why the configured file could not be used (a starting node refuses to start over it), if it could not. */
  readonly problem?: string;
  lookup(ip: string | null | undefined): GeoLocation | null;
}

/** Answers cached per IP: a Sessions page asks for the same few addresses over and over. */
const CACHE_SIZE = 5_000;

const disabled: GeoLocator = { enabled: false, lookup: () => null };

/**
 * Opens the MaxMind-format `.mmdb` file (GeoLite2 City or similar) once, at start, into memory.
 * Without a path, or when the file cannot be read, locations are simply null: a broken GeoIP
 * file must never stop people from signing in (the problem is logged once). A node that is
 * starting refuses to, though (`problem`, checked with the other start-up checks), so a
 * mistyped path is seen at once rather than as missing locations weeks later.
 */
export function createGeoLocator(file: string | undefined, logger?: FastifyBaseLogger): GeoLocator {
  if (!file) return disabled;
  let reader: Reader<CityResponse>;
  try {
    reader = new Reader<CityResponse>(fs.readFileSync(file));
  } catch (error) {
    logger?.error({ geoipDb: file, err: (error as Error).message }, "GEOIP_DB cannot be read; sessions will have no location");
    return { ...disabled, problem: `${file} cannot be read as a MaxMind .mmdb file (${(error as Error).message})` };
  }
  const cache = new Map<string, GeoLocation | null>();

  function lookupUncached(ip: string): GeoLocation | null {
    let record: CityResponse | null;
    try {
      record = reader.get(ip);
    } catch {
      return null; // not an IP address the reader understands
    }
    if (!record) return null;
    const country = record.country?.names.en ?? record.country?.iso_code ?? null;
    const city = record.city?.names.en ?? null;
    return country || city ? { country, city } : null;
  }

  return {
    enabled: true,
    lookup(ip) {
      if (!ip) return null;
      const address = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(ip)?.[1] ?? ip; // IPv4-mapped IPv6
      if (cache.has(address)) return cache.get(address) ?? null;
      const location = lookupUncached(address);
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(address, location);
      return location;
    },
  };
}

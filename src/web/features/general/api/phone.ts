import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import type { CountryCode } from "libphonenumber-js/min";

/** The region of a BCP 47 locale (`en-GB` → `GB`), for numbers typed without a country code. */
function regionOf(locale: string): CountryCode | undefined {
  try {
    const region = new Intl.Locale(locale).maximize().region;
    return region ? (region as CountryCode) : undefined;
  } catch {
    return undefined;
  }
}

/** A stored number (`+4930123456`) as people write it (`+49 30 123456`); the text as it is when unparsable. */
export function formatPhoneForDisplay(stored: string | null): string {
  if (!stored) return "";
  return parsePhoneNumberFromString(stored)?.formatInternational() ?? stored;
}

/**
 * The number a person typed, in the international form the server stores (`+4930123456`):
 * spaces, dashes and brackets are fine, and a number without its country code is read as one of
 * the person's own region (their locale). Undefined when it cannot be a phone number.
 */
export function toStoredPhone(typed: string, locale: string): string | undefined {
  const parsed = parsePhoneNumberFromString(typed, regionOf(locale));
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** What the phone field says when the number cannot be read. */
export const PHONE_HINT_MESSAGE = "Enter a phone number with its country code, e.g. +49 30 123456.";

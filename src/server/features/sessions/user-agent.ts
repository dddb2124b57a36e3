import UAParser from "ua-parser-js";
import type { DeviceType } from "../../../contracts/sessions.js";

/*
 * User agents are parsed with ua-parser-js 1.x (MIT). Do not upgrade to 2.x: it is AGPL-3.0.
 * Known limit: iPadOS 13+ Safari sends the desktop macOS user agent by default ("Request
 * Desktop Website"), so such an iPad reads as macOS on a desktop; nothing on the server can tell.
 */

/** What the Sessions page shows about a device, parsed from its User-Agent header. */
export interface ParsedUserAgent {
  /** Browser and major version, e.g. `Chrome 126`; null when unknown. */
  browser: string | null;
  /** Operating system, e.g. `Windows`, `macOS`, `iOS 17`, `Android 14`; null when unknown. */
  os: string | null;
  deviceType: DeviceType;
  /** Browser + OS without versions (`Chrome|Windows`): what "a device" means for new-device alerts. */
  deviceKey: string;
}

/** Crawlers announce themselves; ua-parser 1.x does not classify them, so a pattern does. */
const BOT_PATTERN =
  /\b(bot|crawler|spider|slurp|bingpreview|facebookexternalhit|embedly|quora link preview|whatsapp|mediapartners-google|adsbot-google|apis-google|yandex(bot|images))\b|bot\/|googlebot|bingbot|duckduckbot|baiduspider|applebot|petalbot|ahrefsbot|semrushbot/i;

const BROWSER_NAMES: Record<string, string> = {
  "Mobile Safari": "Safari",
  "Samsung Browser": "Samsung Internet",
  "Chrome Headless": "Headless Chrome",
  "Chrome WebView": "Android WebView",
  "Mobile Firefox": "Firefox",
  "Mobile Chrome": "Chrome",
  "Opera Mobi": "Opera",
  "Opera Touch": "Opera",
};

const OS_NAMES: Record<string, string> = {
  "Mac OS": "macOS",
  "Chromium OS": "ChromeOS",
  "Chrome OS": "ChromeOS",
};

/** Operating systems that only run on desktops and laptops. */
const DESKTOP_OS = new Set([
  "Windows",
  "macOS",
  "Linux",
  "Ubuntu",
  "Debian",
  "Fedora",
  "ChromeOS",
  "FreeBSD",
  "Mint",
  "Arch",
  "openSUSE",
]);

/** Systems whose major version means something to people (desktop UAs freeze theirs). */
const VERSIONED_OS = new Set(["iOS", "iPadOS", "Android"]);

function majorOf(version: string | undefined): string | undefined {
  const major = version?.split(".")[0];
  return major && /^\d+$/.test(major) ? major : undefined;
}

function deviceTypeOf(type: string | undefined, os: string | undefined): DeviceType {
  if (type === "mobile" || type === "wearable") return "mobile";
  if (type === "tablet") return "tablet";
  if (type === undefined && os !== undefined && DESKTOP_OS.has(os)) return "desktop";
  return "unknown";
}

/** A person's sessions and events repeat a handful of user agents, and parsing one is slow: parse each once. */
const MEMO_SIZE = 1_000;
const memo = new Map<string, ParsedUserAgent>();
let last: { ua: string; parsed: ParsedUserAgent } | undefined;

/** Parses a User-Agent header (null or empty → everything unknown); results are memoised. */
export function parseUserAgent(userAgent: string | null | undefined): ParsedUserAgent {
  const ua = (userAgent ?? "").slice(0, 512);
  // A page of one person's sessions is mostly one user agent: comparing with the last one costs
  // less than hashing each row's fresh 100-character string for the memo.
  if (last?.ua === ua) return last.parsed;
  const known = memo.get(ua);
  if (known) {
    last = { ua, parsed: known };
    return known;
  }
  const parsed = Object.freeze(parseUncached(ua));
  last = { ua, parsed };
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(ua, parsed);
  return parsed;
}

function parseUncached(ua: string): ParsedUserAgent {
  const result = new UAParser(ua).getResult();
  const browserName = result.browser.name ? (BROWSER_NAMES[result.browser.name] ?? result.browser.name) : undefined;
  let osName = result.os.name ? (OS_NAMES[result.os.name] ?? result.os.name) : undefined;
  // iPads run iPadOS from version 13 on; ua-parser 1.x calls every Apple mobile system iOS.
  const osMajor = majorOf(result.os.version);
  if (osName === "iOS" && result.device.model === "iPad" && Number(osMajor) >= 13) osName = "iPadOS";

  const isBot = ua !== "" && BOT_PATTERN.test(ua);
  const browserMajor = majorOf(result.browser.version);
  const browser = browserName ? (browserMajor ? `${browserName} ${browserMajor}` : browserName) : null;
  const os = osName ? (osMajor && VERSIONED_OS.has(osName) ? `${osName} ${osMajor}` : osName) : null;
  return {
    browser: isBot && !browserName ? botName(ua) : browser,
    os,
    deviceType: isBot ? "bot" : deviceTypeOf(result.device.type, osName),
    deviceKey: `${isBot ? "Bot" : (browserName ?? "Unknown")}|${osName ?? "Unknown"}`,
  };
}

/** `Googlebot 2` from `…(compatible; Googlebot/2.1; +http://…)`. */
function botName(ua: string): string {
  const match = /([A-Za-z][\w-]*bot)\/(\d+)/i.exec(ua);
  return match ? `${match[1]} ${match[2]}` : "Bot";
}

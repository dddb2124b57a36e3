import { describe, expect, it } from "vitest";
import { parseUserAgent } from "./user-agent.js";

/** Real User-Agent strings (as browsers sent them in 2024) → what the Sessions page shows. */
const CASES: Array<[label: string, ua: string, browser: string | null, os: string | null, deviceType: string]> = [
  [
    "Chrome on Windows",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Chrome 126",
    "Windows",
    "desktop",
  ],
  [
    "Edge on Windows",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
    "Edge 126",
    "Windows",
    "desktop",
  ],
  [
    "Firefox on Windows",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Firefox 127",
    "Windows",
    "desktop",
  ],
  [
    "Opera on Windows",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 OPR/111.0.0.0",
    "Opera 111",
    "Windows",
    "desktop",
  ],
  [
    "Safari on macOS",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Safari 17",
    "macOS",
    "desktop",
  ],
  [
    "Chrome on macOS",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Chrome 126",
    "macOS",
    "desktop",
  ],
  [
    "Firefox on macOS",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Firefox 127",
    "macOS",
    "desktop",
  ],
  [
    "Edge on macOS",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.81",
    "Edge 126",
    "macOS",
    "desktop",
  ],
  [
    "Chrome on Linux",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Chrome 126",
    "Linux",
    "desktop",
  ],
  [
    "Firefox on Ubuntu",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Firefox 127",
    "Ubuntu",
    "desktop",
  ],
  [
    "Chrome on ChromeOS",
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Chrome 126",
    "ChromeOS",
    "desktop",
  ],
  [
    "Safari on iPhone",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Safari 17",
    "iOS 17",
    "mobile",
  ],
  [
    "Chrome on iPhone",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
    "Chrome 126",
    "iOS 17",
    "mobile",
  ],
  [
    "Firefox on iPhone",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15",
    "Firefox 127",
    "iOS 17",
    "mobile",
  ],
  [
    "Edge on iPhone",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) EdgiOS/126.0.2592.80 Version/17.0 Mobile/15E148 Safari/604.1",
    "Edge 126",
    "iOS 17",
    "mobile",
  ],
  [
    "Safari on iPad (iPadOS)",
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Safari 17",
    "iPadOS 17",
    "tablet",
  ],
  [
    "Chrome on iPad (iPadOS)",
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
    "Chrome 126",
    "iPadOS 16",
    "tablet",
  ],
  [
    "Safari on an iPad before iPadOS",
    "Mozilla/5.0 (iPad; CPU OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1",
    "Safari 12",
    "iOS 12",
    "tablet",
  ],
  // iPadOS 13+ Safari asks for desktop sites by default and sends the macOS string: it reads as a Mac.
  [
    "Safari on iPadOS in desktop mode",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Safari 17",
    "macOS",
    "desktop",
  ],
  [
    "Chrome on an Android phone",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36",
    "Chrome 126",
    "Android 14",
    "mobile",
  ],
  [
    "Firefox on an Android phone",
    "Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0",
    "Firefox 127",
    "Android 14",
    "mobile",
  ],
  [
    "Edge on an Android phone",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 EdgA/126.0.2592.80",
    "Edge 126",
    "Android 14",
    "mobile",
  ],
  [
    "Samsung Internet on a Galaxy phone",
    "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
    "Samsung Internet 25",
    "Android 14",
    "mobile",
  ],
  [
    "Opera on an Android phone",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 OPR/83.0.0.0",
    "Opera 83",
    "Android 10",
    "mobile",
  ],
  [
    "Chrome on a Galaxy Tab",
    "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Safari/537.36",
    "Chrome 126",
    "Android 13",
    "tablet",
  ],
  [
    "Samsung Internet on a Galaxy Tab",
    "Mozilla/5.0 (Linux; Android 12; SM-T870) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Safari/537.36",
    "Samsung Internet 24",
    "Android 12",
    "tablet",
  ],
  [
    "Chrome on a Lenovo tablet",
    "Mozilla/5.0 (Linux; Android 11; Lenovo TB-J606F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Chrome 126",
    "Android 11",
    "tablet",
  ],
  ["Googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot 2", null, "bot"],
  [
    "Googlebot smartphone",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Chrome 126",
    "Android 6",
    "bot",
  ],
  ["bingbot", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bingbot 2", null, "bot"],
  ["curl", "curl/8.5.0", null, null, "unknown"],
  ["no User-Agent", "", null, null, "unknown"],
];

describe("parseUserAgent (ua-parser-js 1.x, MIT)", () => {
  it("covers at least 20 real browsers, systems and bots", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CASES)("%s", (_label, ua, browser, os, deviceType) => {
    expect(parseUserAgent(ua)).toMatchObject({ browser, os, deviceType });
  });

  it("keys a device by browser and system without versions, so updates are not new devices", () => {
    const older = parseUserAgent(
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    );
    const newer = parseUserAgent(CASES[0]![1]);
    expect(older.deviceKey).toBe("Chrome|Windows");
    expect(newer.deviceKey).toBe(older.deviceKey);
    expect(parseUserAgent(CASES[2]![1]).deviceKey).toBe("Firefox|Windows");
  });

  it("treats null and absurdly long headers calmly", () => {
    expect(parseUserAgent(null)).toEqual({ browser: null, os: null, deviceType: "unknown", deviceKey: "Unknown|Unknown" });
    expect(parseUserAgent(`${CASES[0]![1]} ${"x".repeat(100_000)}`).browser).toBe("Chrome 126");
  });
});

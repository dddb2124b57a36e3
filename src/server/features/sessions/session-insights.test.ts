import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { buildTestGeoipDb, TEST_GEOIP } from "@test/geoip-fixture.js";
import { insertUser, signedIn, UA } from "@test/factories.js";
import { NEW_DEVICE_AFTER_MS } from "./session-insights.service.js";

const START = Date.UTC(2026, 10, 27, 20, 10, 0);

const t = useTestApp(() => ({ GEOIP_DB: buildTestGeoipDb(), PUBLIC_URL: "https://profile.example.test" }), { startAt: START });

async function alerts() {
  await t.app.services.mailer.deliverDueMail();
  await t.app.services.mailer.deliverDueMail();
  return t.mails().filter((m) => m.subject.startsWith("New sign-in"));
}

/** The decoded text part of a mail (quoted-printable soft breaks and escapes undone). */
function textOf(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe("new-device sign-in alert (ASVS 6.3.5)", () => {
  it("fires for a device (browser + OS) new to the person, with device, IP, location, local time and the Sessions link", async () => {
    const user = await insertUser(t, { timezone: "Europe/Berlin", dateFormat: "DD.MM.YYYY", timeFormat: "24h" });
    await signedIn(t, user, { userAgent: UA.chromeWindows });
    expect(await alerts()).toHaveLength(0); // the first device of a person is nothing to compare with

    await signedIn(t, user, { userAgent: UA.firefoxLinux, ip: TEST_GEOIP.paris.ip });
    const [mail, ...rest] = await alerts();
    expect(rest).toHaveLength(0);
    expect(mail?.to).toBe(user.email);
    const text = textOf(mail?.raw ?? "");
    expect(text).toContain("Device: Firefox 127 on Ubuntu");
    expect(text).toContain(`IP address: ${TEST_GEOIP.paris.ip}`);
    expect(text).toContain("Location: Paris, France");
    expect(text).toContain("Time: 27.11.2026 21:10 (Europe/Berlin, UTC+01:00)");
    expect(text).toContain("https://profile.example.test/profile/sessions");
  });

  it("does not fire for a known device, nor for a newer version of it", async () => {
    const user = await insertUser(t);
    await signedIn(t, user, { userAgent: UA.chromeWindows });
    await signedIn(t, user, { userAgent: UA.safariIphone });
    expect(await alerts()).toHaveLength(1);
    t.clock.advance(30 * 24 * 3_600_000);
    await signedIn(t, user, { userAgent: UA.chromeWindows });
    await signedIn(t, user, { userAgent: UA.chromeWindows.replace("Chrome/126", "Chrome/131") });
    await signedIn(t, user, { userAgent: UA.safariIphone });
    expect(await alerts()).toHaveLength(1);
  });

  it("fires again for a device not seen for more than 90 days (and not at exactly 90)", async () => {
    const user = await insertUser(t);
    await signedIn(t, user, { userAgent: UA.chromeWindows });
    await signedIn(t, user, { userAgent: UA.safariIphone });
    expect(await alerts()).toHaveLength(1);
    t.clock.advance(NEW_DEVICE_AFTER_MS);
    await signedIn(t, user, { userAgent: UA.chromeWindows });
    expect(await alerts()).toHaveLength(1);
    t.clock.advance(NEW_DEVICE_AFTER_MS + 1);
    await signedIn(t, user, { userAgent: UA.chromeWindows });
    expect(await alerts()).toHaveLength(2);
  });

  it("is per person: a device known to one person is new to another", async () => {
    const [ada, bob] = [await insertUser(t), await insertUser(t)];
    await signedIn(t, ada, { userAgent: UA.chromeWindows });
    await signedIn(t, bob, { userAgent: UA.safariIphone });
    await signedIn(t, bob, { userAgent: UA.chromeWindows });
    const sent = await alerts();
    expect(sent.map((m) => m.to)).toEqual([bob.email]);
  });

  it("never breaks sign-in: when the check fails it is logged and the person is signed in", async () => {
    const user = await insertUser(t);
    await sql`drop table known_devices`.execute(t.app.services.db);
    const client = await signedIn(t, user);
    expect((await client.get("/api/v1/me/sessions")).statusCode).toBe(200);
    expect(t.logs.some((line) => line.includes("new-device check failed"))).toBe(true);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type OwnedTestApp } from "@test/create-test-app.js";
import { buildTestGeoipDb, TEST_GEOIP } from "@test/geoip-fixture.js";
import { insertUser, signedIn } from "@test/factories.js";
import { createGeoLocator } from "./geoip.js";
import { listSessions } from "./sessions.test-support.js";

describe("createGeoLocator over a MaxMind .mmdb (GeoLite2-City shape)", () => {
  it.each(Object.entries(TEST_GEOIP))("%s", (_name, { ip, location }) => {
    const geo = createGeoLocator(buildTestGeoipDb());
    expect(geo.enabled).toBe(true);
    expect(geo.lookup(ip)).toEqual(location);
  });

  it("reads IPv4-mapped IPv6 addresses as IPv4, and answers null for junk or nothing", () => {
    const geo = createGeoLocator(buildTestGeoipDb());
    expect(geo.lookup(`::ffff:${TEST_GEOIP.berlin.ip}`)).toEqual(TEST_GEOIP.berlin.location);
    expect(geo.lookup("not-an-ip")).toBeNull();
    expect(geo.lookup(null)).toBeNull();
    expect(geo.lookup("")).toBeNull();
  });

  it("without GEOIP_DB, or with an unreadable file, every location is null and nothing throws", () => {
    expect(createGeoLocator(undefined).lookup(TEST_GEOIP.berlin.ip)).toBeNull();
    const broken = createGeoLocator("/nonexistent/GeoLite2-City.mmdb");
    expect(broken.enabled).toBe(false);
    expect(broken.lookup(TEST_GEOIP.berlin.ip)).toBeNull();
  });
});

describe("session locations", () => {
  let t: OwnedTestApp;
  afterEach(async () => {
    await t.close();
  });

  it("carry {country, city} from GEOIP_DB", async () => {
    t = await createTestApp({ GEOIP_DB: buildTestGeoipDb() });
    const user = await insertUser(t);
    const berlin = await signedIn(t, user, { ip: TEST_GEOIP.berlin.ip });
    await signedIn(t, user, { ip: TEST_GEOIP.paris.ip });
    await signedIn(t, user, { ip: TEST_GEOIP.unknown.ip });
    const { body } = await listSessions(berlin);
    const byIp = Object.fromEntries(body.items.map((s) => [s.ip, s.location]));
    expect(byIp).toEqual({
      [TEST_GEOIP.berlin.ip]: TEST_GEOIP.berlin.location,
      [TEST_GEOIP.paris.ip]: TEST_GEOIP.paris.location,
      [TEST_GEOIP.unknown.ip]: null,
    });
  });

  it("are null when no GeoIP database is configured", async () => {
    t = await createTestApp();
    const user = await insertUser(t);
    const client = await signedIn(t, user, { ip: TEST_GEOIP.berlin.ip });
    const { body } = await listSessions(client);
    expect(body.items.map((s) => s.location)).toEqual([null]);
  });
});

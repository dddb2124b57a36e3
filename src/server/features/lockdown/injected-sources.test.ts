import { describe, expect, it } from "vitest";
import type { Executor } from "../../db/schema.js";
import { useTestApp } from "@test/use-test-app.js";
import type { TestApp } from "@test/create-test-app.js";
import { insertUser, openSession } from "@test/factories.js";
import { eventsOf } from "@test/inspect.js";
import { createCheckupService } from "../checkup/checkup.service.js";
import { createDataExportService } from "../data-export/data-export.service.js";
import type { ConnectedApp, ConnectedAppsSource, PasskeyInfo, PasskeysSource } from "../users/person-sources.js";
import { createPeopleRepo } from "../people/people.repo.js";
import { createKnownDevicesRepo } from "../sessions/known-devices.repo.js";
import { createLockdownLinks } from "./lockdown-links.js";
import { createLockdownService } from "./lockdown.service.js";

/*
 * Single sign-on and passkeys arrive as injected sources. Until those features provide theirs,
 * these tests stand in with recording sources, to show what lockdown, checkup and export do with
 * what a source holds.
 */

const DAY = 24 * 3_600_000;

function sources(t: TestApp) {
  const now = t.clock.now();
  const apps: ConnectedApp[] = [
    { clientId: "crm", name: "Old CRM", grantedAt: now - 200 * DAY, lastUsedAt: now - 120 * DAY, scopes: ["openid"] },
    { clientId: "wiki", name: "Wiki", grantedAt: now - 10 * DAY, lastUsedAt: now - DAY, scopes: ["openid", "email"] },
  ];
  const passkeys: PasskeyInfo[] = [
    { id: "pk1", name: "Laptop", createdAt: now - 5 * DAY, lastUsedAt: null, authenticator: "iCloud Keychain", backedUp: true },
  ];
  const revoked: Array<{ userId: string; inTransaction: boolean }> = [];
  const connectedApps: ConnectedAppsSource = {
    listForUser: () => Promise.resolve(apps),
    listSignInsForUser: () => Promise.resolve([]),
    revokeAllForUser: (executor: Executor, userId: string) => {
      revoked.push({ userId, inTransaction: executor.isTransaction });
      return Promise.resolve(apps.length);
    },
  };
  const passkeysSource: PasskeysSource = { listForUser: () => Promise.resolve(passkeys) };
  return { connectedApps, passkeys: passkeysSource, revoked };
}

describe("what lockdown, checkup and export do with connected apps and passkeys", () => {
  const t = useTestApp();

  it("lockdown revokes the apps' tokens in its transaction and says how many", async () => {
    const s = t.app.services;
    const { connectedApps, revoked } = sources(t);
    const lockdown = createLockdownService({
      db: s.db,
      users: s.users,
      tokens: s.tokens,
      sessionRows: s.sessionRows,
      securityStates: s.securityStates,
      clock: s.clock,
      events: s.events,
      mailer: s.mailer,
      logger: s.logger,
      sessions: s.sessions,
      connectedApps,
      issueResetLink: s.passwordReset.issueResetLink,
      publicUrl: s.config.publicUrl,
    });
    const user = await insertUser(t);
    const links = createLockdownLinks({ tokens: s.tokens, clock: s.clock, publicUrl: s.config.publicUrl });
    const url = await s.db.transaction().execute((trx) => links.issueLockdownUrl(trx, { userId: user.id, sentTo: user.email }));
    const token = new URL(url).searchParams.get("token") ?? "";
    const meta = { ip: "203.0.113.1", userAgent: "test" };
    const preview = await lockdown.previewLockdown(token, meta);
    expect(preview.actions.find((a) => a.id === "revoke_app_tokens")?.description).toContain("2 apps");
    await lockdown.confirmLockdown(token, meta);
    expect(revoked).toEqual([{ userId: user.id, inTransaction: true }]);
    const [event] = await eventsOf(t, user.id, "lockdown");
    expect(JSON.parse(event?.details ?? "{}")).toMatchObject({ appsRevoked: 2 });
  });

  it("the checkup counts a passkey as a second factor and flags an app unused for 90 days", async () => {
    const s = t.app.services;
    const { connectedApps, passkeys } = sources(t);
    const checkup = createCheckupService({
      mfaFactors: s.mfaFactors,
      accountRows: s.accountRows,
      sessionRows: s.sessionRows,
      sessions: s.sessions,
      securityStates: s.securityStates,
      geo: s.geo,
      passkeys,
      connectedApps,
      clock: s.clock,
      lastBreachReportedAt: () => null,
    });
    const user = await insertUser(t);
    const { session } = await openSession(t, user.id);
    const auth = {
      session,
      user,
      mfaEnabled: false,
      totpEnabled: false,
      token: "",
      activeAccountPolicy: null,
      pendingEmail: null,
    };
    const items = Object.fromEntries((await checkup.runCheckup(auth)).items.map((i) => [i.id, i]));
    expect(items.second_factor).toMatchObject({ status: "ok", detail: "1 method: 1 passkey." });
    expect(items.passkey?.status).toBe("ok");
    expect(items.connected_apps).toMatchObject({ status: "warning", href: "/profile/apps" });
    expect(items.connected_apps?.detail).toContain("Old CRM");
    expect(items.connected_apps?.detail).not.toContain("Wiki");
  });

  it("the export lists passkey metadata and connected apps, with UTC times", async () => {
    const s = t.app.services;
    const { connectedApps, passkeys } = sources(t);
    const dataExport = createDataExportService({
      db: s.db,
      users: s.users,
      people: createPeopleRepo(s.db),
      securityStates: s.securityStates,
      accountRows: s.accountRows,
      mfaFactors: s.mfaFactors,
      sessionRows: s.sessionRows,
      sessions: s.sessions,
      securityEvents: s.securityEvents,
      devices: createKnownDevicesRepo(s.db),
      tokens: s.tokens,
      mailOutbox: s.mailOutbox,
      passkeys,
      connectedApps,
      recentAuth: s.recentAuth,
      events: s.events,
      clock: s.clock,
    });
    const user = await insertUser(t);
    await openSession(t, user.id);
    const doc = await dataExport.buildExport({ user, pendingEmail: null });
    expect(doc.passkeys).toEqual([
      expect.objectContaining({ id: "pk1", name: "Laptop", authenticator: "iCloud Keychain", backedUp: true, lastUsedAt: null }),
    ]);
    expect(doc.connectedApps.map((a) => a.clientId)).toEqual(["crm", "wiki"]);
    expect(doc.connectedApps[0]?.grantedAt).toMatch(/Z$/);
  });
});

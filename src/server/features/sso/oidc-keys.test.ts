import { Writable } from "node:stream";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../app.js";
import { parseEncryptionKeys } from "../../config.js";
import { openDatabase } from "../../db/database.js";
import { testEncryptionKeys } from "@test/create-test-app.js";
import { useTestApp } from "@test/use-test-app.js";

const t = useTestApp();

describe("single sign-on keys at rest", () => {
  it("are encrypted with ENCRYPTION_KEYS; a node whose keys cannot read them refuses to start, naming ENCRYPTION_KEYS", async () => {
    const rows = await t.app.services.oidcClients.listKeys();
    expect(rows.map((r) => r.kind).sort()).toEqual(["cookie", "signing"]);
    for (const row of rows) expect(row.materialEncrypted).toMatch(/^v\d+\./);
    const database = openDatabase(t.config.databaseUrl, { poolSize: 2 });
    try {
      const config = { ...t.config, encryptionKeys: parseEncryptionKeys(testEncryptionKeys()) };
      await expect(
        buildApp({
          config,
          database,
          clock: t.clock,
          logStream: new Writable({ write: (_c, _e, done) => done() }),
          webRoot: path.join(t.config.dataDir, "no-web"),
        }),
      ).rejects.toThrow(/ENCRYPTION_KEYS/);
      // Nothing was made over the existing keys.
      expect(await t.app.services.oidcClients.listKeys()).toHaveLength(rows.length);
    } finally {
      await database.close();
    }
  });
});

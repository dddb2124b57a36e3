import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const WRITER_SCRIPT = path.join(here, "fixtures", "make-geoip-mmdb.pl");
const INSTALL_COMMAND = "apt-get install -y libmaxmind-db-writer-perl";

/** What the test database knows (RFC 5737 / RFC 3849 documentation ranges). */
export const TEST_GEOIP = {
  berlin: { ip: "203.0.113.10", location: { country: "Germany", city: "Berlin" } },
  paris: { ip: "198.51.100.7", location: { country: "France", city: "Paris" } },
  japanNoCity: { ip: "192.0.2.5", location: { country: "Japan", city: null } },
  lisbonV6: { ip: "2001:db8::1", location: { country: "Portugal", city: "Lisbon" } },
  unknown: { ip: "8.8.8.8", location: null },
} as const;

function hasWriter(): boolean {
  return spawnSync("perl", ["-MMaxMind::DB::Writer::Tree", "-e", "1"], { stdio: "ignore" }).status === 0;
}

/**
 * Makes sure Debian's MaxMind DB writer is there: installs it when running as root, otherwise
 * fails with the command to run (no npm package in reach writes .mmdb files).
 */
function ensureWriter(): void {
  if (hasWriter()) return;
  if (process.getuid?.() === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = () => spawnSync("sh", ["-c", `${INSTALL_COMMAND} >/dev/null 2>&1`], { env }).status === 0;
    if (!install()) spawnSync("sh", ["-c", `apt-get update >/dev/null 2>&1 && ${INSTALL_COMMAND} >/dev/null 2>&1`], { env });
    if (hasWriter()) return;
  }
  throw new Error(`The GeoIP tests need Debian's MaxMind DB writer. Install it with: sudo ${INSTALL_COMMAND}`);
}

/**
 * Path of a tiny GeoLite2-City-shaped `.mmdb` built by test/fixtures/make-geoip-mmdb.pl. It is
 * kept in the temp folder under the script's hash, so runs and workers share one file (written
 * aside, then renamed into place) and a changed script builds a new one.
 */
export function buildTestGeoipDb(): string {
  ensureWriter();
  const hash = createHash("sha256").update(fs.readFileSync(WRITER_SCRIPT)).digest("hex").slice(0, 16);
  const file = path.join(os.tmpdir(), `pc-geoip-fixture-${hash}.mmdb`);
  if (fs.existsSync(file)) return file;
  const partial = `${file}.${process.pid}.${Date.now()}`;
  execFileSync("perl", [WRITER_SCRIPT, partial], { stdio: "pipe" });
  fs.renameSync(partial, file);
  return file;
}

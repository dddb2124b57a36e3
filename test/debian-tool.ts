import { spawnSync } from "node:child_process";

/** True when `command` runs (`--version`). */
function runs(command: string): boolean {
  return !spawnSync(command, ["--version"], { stdio: "ignore" }).error;
}

/**
 * Makes sure a command from a Debian package is there for a test (promtool from `prometheus`,
 * systemd-analyze from `systemd`): installs the package with apt-get when running as root.
 * Returns false when it is still missing, so the test can skip, except under CI=true, where a
 * missing tool fails with the command to run.
 */
export function ensureDebianTool(command: string, debianPackage: string): boolean {
  if (runs(command)) return true;
  if (process.getuid?.() === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = `apt-get install -y -qq --no-install-recommends ${debianPackage} >/dev/null 2>&1`;
    if (spawnSync("sh", ["-c", install], { env }).status !== 0)
      spawnSync("sh", ["-c", `apt-get update -qq >/dev/null 2>&1 && ${install}`], { env });
    if (runs(command)) return true;
  }
  if (process.env.CI === "true")
    throw new Error(
      `${command} is required under CI=true. Install Debian's ${debianPackage} package: apt-get install -y ${debianPackage}`,
    );
  return false;
}

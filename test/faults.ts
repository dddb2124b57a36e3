import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import type { LightMyRequestResponse } from "fastify";

/*
 * Helpers of the database fault tests: a tiny file system of our own (tmpfs) to fill up or
 * make read-only, and the shape every answer under a fault must have.
 */

/** A tmpfs of `sizeKb` mounted on a new temp dir, or undefined where mounting is not allowed (not root, a container without CAP_SYS_ADMIN). */
export function mountTinyFileSystem(
  sizeKb: number,
): { dir: string; remount(mode: "ro" | "rw"): void; unmount(): void } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-tinyfs-"));
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKb}k,mode=0755`, "tmpfs", dir], { stdio: "ignore" });
  if (mounted.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    dir,
    remount: (mode) => {
      const r = spawnSync("mount", ["-o", `remount,${mode}`, dir], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`remount ${mode} failed: ${r.stderr}`);
    },
    unmount: () => {
      spawnSync("umount", ["-l", dir], { stdio: "ignore" });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the file system holding `dir` to the last byte with one file; returns its path. */
export function fillFileSystem(dir: string): string {
  const filler = path.join(dir, "filler");
  const fd = fs.openSync(filler, "w");
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) {
      try {
        fs.writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
        break;
      }
    }
    // The last partial chunk: fill what is left in small steps.
    const small = Buffer.alloc(512, 1);
    for (;;) {
      try {
        fs.writeSync(fd, small);
      } catch {
        break;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

/** A 503 `unavailable` in the error envelope, with Retry-After. */
export function expectUnavailable(
  response: LightMyRequestResponse | { statusCode: number; headers: Record<string, unknown>; json(): unknown },
): void {
  expect(response.statusCode).toBe(503);
  expect(response.headers["retry-after"]).toMatch(/^\d+$/);
  expect(response.json()).toMatchObject({ error: { code: "unavailable", message: expect.any(String) } });
}

/** Waits long enough for the next `/readyz` to probe the database again (db/write-probe.ts). */
export function nextProbe(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1_100));
}

/**
 * A TCP proxy in front of a server, which the test can take down (refusing new connections and
 * cutting the open ones, as a stopped PostgreSQL does) and bring back on the same port.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        sockets.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
        client.pipe(upstream).pipe(client);
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await listen();
  return { port: () => port, down, up: listen, close: down };
}

/** Runs `count` requests made by `make`, `concurrency` at a time; their status codes, in order of completion. */
export async function burst<T>(count: number, concurrency: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) results.push(await make(next++));
    }),
  );
  return results;
}

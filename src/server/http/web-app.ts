import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/**
 * Serves the built web app (dist/web) and answers every other non-API GET with index.html,
 * so deep links work on reload. Hashed assets are cached for a year; index.html never.
 */
export async function registerWebApp(app: FastifyInstance, webRoot: string): Promise<boolean> {
  const indexFile = path.join(webRoot, "index.html");
  if (!fs.existsSync(indexFile)) return false;
  await app.register(fastifyStatic, {
    root: webRoot,
    wildcard: false,
    index: false,
    setHeaders: (reply, filePath) => {
      reply.header(
        "cache-control",
        filePath.includes(`${path.sep}assets${path.sep}`) ? "public, max-age=31536000, immutable" : "no-cache",
      );
    },
  });
  const indexHtml = fs.readFileSync(indexFile);
  const assetsDir = path.join(webRoot, "assets");
  const assets = fs.existsSync(assetsDir) ? new Set(fs.readdirSync(assetsDir)) : new Set<string>();
  const topFiles = new Set(
    fs.readdirSync(webRoot).filter((f) => f !== "index.html" && fs.statSync(path.join(webRoot, f)).isFile()),
  );

  app.get("/*", { config: { auth: "public" }, schema: { hide: true } }, (request, reply) => {
    const pathname = decodeURIComponent(request.url.split("?")[0] ?? "/");
    if (pathname.startsWith("/api/")) {
      return reply.callNotFound();
    }
    if (pathname.startsWith("/assets/")) {
      const name = pathname.slice("/assets/".length);
      return assets.has(name) ? reply.sendFile(path.join("assets", name)) : reply.callNotFound();
    }
    const top = pathname.slice(1);
    if (topFiles.has(top)) return reply.sendFile(top);
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(indexHtml);
  });
  return true;
}

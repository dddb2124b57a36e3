import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const webRoot = fileURLToPath(new URL("./src/web", import.meta.url));
const contractsDir = fileURLToPath(new URL("./src/contracts", import.meta.url));
const outDir = fileURLToPath(new URL("./dist/web", import.meta.url));
const apiTarget = "http://127.0.0.1:3000";

/**
 * The web app is built into dist/web and served by the Fastify server under a strict CSP
 * (`script-src 'self'; style-src 'self'`), so nothing may be inlined: no module preload
 * polyfill (it is an inline script), and every asset is emitted as a file.
 */
export default defineConfig({
  root: webRoot,
  plugins: [react()],
  resolve: {
    alias: { "@contracts": contractsDir, "@web": webRoot },
  },
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    // A data: URI would be blocked for fonts/scripts by the CSP; emit files instead.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: {
      "/api": { target: apiTarget, changeOrigin: false },
      "/healthz": { target: apiTarget, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      "/api": { target: apiTarget, changeOrigin: false },
      "/healthz": { target: apiTarget, changeOrigin: false },
    },
  },
});

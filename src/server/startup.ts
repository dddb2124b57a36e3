import type { FastifyInstance } from "fastify";
import { assertTotpKeysConfigured } from "./features/security/mfa/mfa-key-check.js";
import { formatDemoLogin, seedDemoWorkspace, type DemoLogin } from "./cli/demo-seed.js";

/** The demo sign-in to print once after listening (set only when the seed ran on this start). */
const demoLogins = new WeakMap<FastifyInstance, DemoLogin>();

/** Runs after migrations, before listening (the demo seed hooks in here). */
export async function afterStart(app: FastifyInstance): Promise<void> {
  const { db, config } = app.services;
  await assertTotpKeysConfigured(
    db,
    config.encryptionKeys.map((k) => k.version),
  );
  // DEMO: seed the demo workspace into an empty database (never when any user exists).
  if (config.demo) {
    const login = await seedDemoWorkspace(app.services);
    if (login) demoLogins.set(app, login);
  }
}

/** Prints where the product runs. */
export async function announce(app: FastifyInstance): Promise<void> {
  const { config } = app.services;
  console.log(`\nProfile Center is running at ${config.publicUrl}`);
  console.log(`OpenAPI document: ${config.publicUrl}/api/v1/openapi.json\n`);
  const login = demoLogins.get(app);
  if (login) {
    console.log(formatDemoLogin(login));
    demoLogins.delete(app);
  }
}

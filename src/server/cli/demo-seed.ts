import fs from "node:fs";
import path from "node:path";
import type { AccountType, MfaPolicy } from "../../contracts/accounts.js";
import { AppError } from "../errors.js";
import type { Actor } from "../features/accounts/accounts.service.js";
import type { Services } from "../services.js";
import { generatePassphrase } from "./passphrase.js";

/** The demo person's email. */
export const DEMO_EMAIL = "demo@example.com";

/** What the first start prints once: where to sign in and with what. */
export interface DemoLogin {
  url: string;
  email: string;
  password: string;
  accounts: Array<{ id: string; name: string; type: AccountType; mfaPolicy: MfaPolicy }>;
  /** The demo single sign-on client (examples/portal, `npm run demo:portal`). */
  portal: { clientId: string; file: string };
}

/** Where the example relying party listens (examples/portal/portal.mjs). */
export const DEMO_PORTAL_URL = "http://127.0.0.1:3001";

const SEED_ACTOR: Actor = { via: "seed", meta: { ip: null, userAgent: "demo seed" } };

interface DemoAccountPlan {
  name: string;
  type: AccountType;
  mfaPolicy: MfaPolicy;
  groups: string[];
  /** Groups of the demo person and of the colleague. */
  demo: string[];
  colleague: string[];
}

/** A vendor, a distributor that requires MFA and a reseller that suggests it; the demo person differs per account. */
const PLAN: DemoAccountPlan[] = [
  {
    name: "Bluepeak Software",
    type: "vendor",
    mfaPolicy: "optional",
    groups: ["Users", "Finance", "Developers"],
    demo: ["Administrators", "Finance"],
    colleague: ["Users", "Developers"],
  },
  {
    name: "Meridian Distribution",
    type: "distributor",
    mfaPolicy: "required",
    groups: ["Users", "Logistics", "Finance"],
    demo: ["Users", "Logistics"],
    colleague: ["Administrators"],
  },
  {
    name: "Harbor Lane Resellers",
    type: "reseller",
    mfaPolicy: "suggested",
    groups: ["Users", "Sales"],
    demo: ["Administrators", "Sales"],
    colleague: ["Users"],
  },
];

/**
 * With DEMO on, seeds the demo workspace through the same services as the operator API, only
 * into a database without any user (never over real data: A11, no default accounts on a real install). Returns
 * what to print once, or null when it did not run. A second node starting at the same moment
 * loses the race on the unique email and skips.
 */
export async function seedDemoWorkspace(services: Services): Promise<DemoLogin | null> {
  const { accounts, config } = services;
  if (!config.demo || !(await accounts.hasNoUsers())) return null;
  const password = generatePassphrase(config.passwordMinLength, [DEMO_EMAIL, "Dana", "Demo"]);
  let demo;
  try {
    demo = await accounts.createUser({ email: DEMO_EMAIL, firstName: "Dana", lastName: "Demo", password }, SEED_ACTOR);
  } catch (error) {
    if (error instanceof AppError && error.code === "email_taken") return null;
    throw error;
  }
  const colleague = await accounts.createUser(
    { email: "sam.rivera@example.com", firstName: "Sam", lastName: "Rivera" },
    SEED_ACTOR,
  );
  const created: DemoLogin["accounts"] = [];
  for (const plan of PLAN) {
    const account = await accounts.createAccount({ name: plan.name, type: plan.type, mfaPolicy: plan.mfaPolicy }, SEED_ACTOR);
    const ids = new Map(account.groups.map((g) => [g.name, g.id]));
    for (const name of plan.groups) ids.set(name, (await accounts.createGroup(account.id, name, SEED_ACTOR)).id);
    const pick = (names: string[]) => names.map((n) => ids.get(n)).filter((id): id is string => id !== undefined);
    await accounts.addMember(account.id, { email: demo.email, groupIds: pick(plan.demo) }, SEED_ACTOR);
    await accounts.addMember(account.id, { email: colleague.email, groupIds: pick(plan.colleague) }, SEED_ACTOR);
    created.push({ id: account.id, name: plan.name, type: plan.type, mfaPolicy: plan.mfaPolicy });
  }
  const portal = await seedDemoPortal(services);
  return { url: `${config.publicUrl}/login`, email: DEMO_EMAIL, password, accounts: created, portal };
}

/**
 * Registers the demo portal as a single sign-on client and writes its id and secret to
 * `DATA_DIR/demo-portal.json` (mode 0600), where `npm run demo:portal` reads them.
 */
async function seedDemoPortal(services: Services): Promise<DemoLogin["portal"]> {
  const client = await services.sso.clients.create({
    name: "Demo portal",
    redirectUris: [`${DEMO_PORTAL_URL}/callback`],
    postLogoutRedirectUris: [`${DEMO_PORTAL_URL}/`],
    backchannelLogoutUri: `${DEMO_PORTAL_URL}/backchannel-logout`,
  });
  const file = path.join(services.config.dataDir, "demo-portal.json");
  const content = { issuer: services.config.publicUrl, clientId: client.clientId, clientSecret: client.clientSecret };
  fs.mkdirSync(services.config.dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  return { clientId: client.clientId, file };
}

/** The lines printed once after the server listens. */
export function formatDemoLogin(login: DemoLogin): string {
  return [
    "Demo workspace created (this password is shown only now; change it after signing in):",
    `  Sign in at ${login.url}`,
    `  Email:     ${login.email}`,
    `  Password:  ${login.password}`,
    "  Accounts:  " + login.accounts.map((a) => `${a.name} (${a.type}, MFA ${a.mfaPolicy})`).join("; "),
    `Single sign-on: a demo portal is registered (client ${login.portal.clientId}; secret in ${login.portal.file}).`,
    `  Run \`npm run demo:portal\` and open ${DEMO_PORTAL_URL} to sign in to it through Profile Center.`,
    '  Try a passkey: Security → Passkeys → Add a passkey, then sign out and use "Sign in with a passkey"',
    "  (passkeys need https, or http://localhost as here).",
    "",
  ].join("\n");
}

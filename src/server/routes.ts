import type { FastifyInstance } from "fastify";
import { createAccountsRoutes } from "./features/accounts/accounts.routes.js";
import { createAdminRoutes } from "./features/admin/admin.routes.js";
import { createAuthRoutes } from "./features/auth/auth.routes.js";
import { createCsrfRoutes } from "./features/auth/csrf.routes.js";
import { createPasswordResetRoutes } from "./features/auth/password-reset.routes.js";
import { createActivityRoutes } from "./features/activity/activity.routes.js";
import { createProfileRoutes } from "./features/profile/profile.routes.js";
import { createDeletionRoutes } from "./features/security/deletion/deletion.routes.js";
import { createMfaRoutes } from "./features/security/mfa/mfa.routes.js";
import { createPasswordRoutes } from "./features/security/password/password.routes.js";
import { createSessionsRoutes } from "./features/sessions/sessions.routes.js";
import type { Services } from "./services.js";

/** Registers every feature's routes under /api/v1. */
export async function registerApiRoutes(api: FastifyInstance, services: Services): Promise<void> {
  await api.register(createCsrfRoutes({ secure: services.config.secure }));
  await api.register(createAuthRoutes({ auth: services.auth, clock: services.clock, secure: services.config.secure }));
  await api.register(createPasswordResetRoutes({ passwordReset: services.passwordReset }));
  await api.register(createProfileRoutes({ profile: services.profile }));
  await api.register(
    createMfaRoutes({
      mfa: services.mfa,
      recentAuth: services.recentAuth,
      clock: services.clock,
      secure: services.config.secure,
      sessionMaxMs: services.sessions.maxMs,
      presentMe: services.profile.presentMe,
      onSignIn: services.onSignIn,
    }),
  );
  await api.register(
    createPasswordRoutes({ password: services.password, clock: services.clock, secure: services.config.secure }),
  );
  await api.register(createDeletionRoutes({ deletion: services.deletion, secure: services.config.secure }));
  await api.register(
    createAccountsRoutes({
      accounts: services.accounts,
      presentMe: services.profile.presentMe,
      secure: services.config.secure,
      sessionMaxAgeSeconds: services.config.sessionMaxHours * 3600,
    }),
  );
  await api.register(createAdminRoutes({ accounts: services.accounts, presentMe: services.profile.presentMe }));
  await api.register(createSessionsRoutes({ sessionsService: services.sessionsService, secure: services.config.secure }));
  await api.register(createActivityRoutes({ activity: services.activity }));
}

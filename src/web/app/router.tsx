import { Navigate, createBrowserRouter, useLocation } from "react-router";
import type { RouteObject } from "react-router";
import { RouterProvider } from "react-router/dom";
import { RootLayout } from "./routes/root-layout";
import { RouteErrorPage } from "./routes/route-error";
import { RouteLoadingPage } from "./routes/route-loading";
import { NotFoundRoute } from "./routes/not-found";
import { LoginRoute } from "./routes/auth/login";
import { LoginMfaRoute } from "./routes/auth/login-mfa";
import { SectionErrorPage } from "./routes/profile/section-error";

/** Redirects to `to`, keeping the navigation state (e.g. the recovery-code notice after sign-in). */
function RedirectKeepingState({ to }: { to: string }) {
  const { state: navigationState } = useLocation();
  return <Navigate to={to} replace state={navigationState} />;
}

/*
 * Only the sign-in pages ship in the entry chunk. Every other page is a `lazy` route: its
 * module, the feature it composes and that feature's dependencies load on first visit, in
 * parallel with the navigation (no render-then-fetch waterfall), so the profile sections can
 * grow without making the sign-in page heavier.
 */

/**
 * Every web page; the server answers index.html for each of these paths (deep links work).
 * Exported for tests, which render these same routes (`src/web/test/render-route.tsx`).
 */
export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    errorElement: <RouteErrorPage />,
    // Shown while the first page's lazy module loads (a deep link to a profile section).
    HydrateFallback: RouteLoadingPage,
    children: [
      { index: true, element: <RedirectKeepingState to="/profile/general" /> },
      { path: "login", element: <LoginRoute /> },
      { path: "login/mfa", element: <LoginMfaRoute /> },
      {
        path: "forgot-password",
        lazy: () => import("./routes/auth/forgot-password").then((module) => ({ Component: module.ForgotPasswordRoute })),
      },
      {
        path: "reset-password",
        lazy: () => import("./routes/auth/reset-password").then((module) => ({ Component: module.ResetPasswordRoute })),
      },
      {
        path: "invitations/accept",
        lazy: () => import("./routes/auth/accept-invitation").then((module) => ({ Component: module.AcceptInvitationRoute })),
      },
      {
        path: "confirm-email",
        lazy: () => import("./routes/auth/confirm-email").then((module) => ({ Component: module.ConfirmEmailRoute })),
      },
      {
        path: "lockdown",
        lazy: () => import("./routes/auth/lockdown").then((module) => ({ Component: module.LockdownRoute })),
      },
      {
        path: "sso/confirm",
        lazy: () => import("./routes/sso/sso-confirm").then((module) => ({ Component: module.SsoConfirmRoute })),
      },
      {
        path: "sso/mfa-setup",
        lazy: () => import("./routes/sso/sso-mfa-setup").then((module) => ({ Component: module.SsoMfaSetupRoute })),
      },
      {
        path: "profile",
        lazy: () => import("./routes/profile/signed-in-layout").then((module) => ({ Component: module.SignedInLayout })),
        children: [
          {
            // A section that fails to render shows its error inside the shell: navigation stays usable.
            errorElement: <SectionErrorPage />,
            children: [
              { index: true, element: <RedirectKeepingState to="/profile/general" /> },
              {
                path: "general",
                lazy: () => import("./routes/profile/general").then((module) => ({ Component: module.GeneralRoute })),
              },
              {
                path: "accounts",
                lazy: () => import("./routes/profile/accounts").then((module) => ({ Component: module.AccountsRoute })),
              },
              {
                path: "security",
                lazy: () => import("./routes/profile/security").then((module) => ({ Component: module.SecurityRoute })),
              },
              {
                path: "sessions",
                lazy: () => import("./routes/profile/sessions").then((module) => ({ Component: module.SessionsRoute })),
              },
              {
                path: "mfa-required",
                lazy: () => import("./routes/profile/mfa-required").then((module) => ({ Component: module.MfaRequiredRoute })),
              },
              {
                path: "apps",
                lazy: () => import("./routes/profile/apps").then((module) => ({ Component: module.AppsRoute })),
              },
              {
                path: "activity",
                lazy: () => import("./routes/profile/activity").then((module) => ({ Component: module.ActivityRoute })),
              },
            ],
          },
        ],
      },
      { path: "*", element: <NotFoundRoute /> },
    ],
  },
];

/** A browser router over {@link routes} (one per app; tests make one per render). */
export function createAppRouter() {
  return createBrowserRouter(routes);
}

let appRouter: ReturnType<typeof createAppRouter> | undefined;

/** The app's router, created on first render (not at import, so importing has no side effects). */
export function AppRouter() {
  appRouter ??= createAppRouter();
  return <RouterProvider router={appRouter} />;
}

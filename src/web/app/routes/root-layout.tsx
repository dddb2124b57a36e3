import { useEffect, useRef } from "react";
import { Outlet, useLocation, useNavigate } from "react-router";
import { OfflineNotice } from "../../components/ui/offline-notice";
import { setUnauthenticatedHandler } from "../../lib/api-client";

/** True when the page just shown has already put focus in one of its fields (`autoFocus`). */
function hasPageFocusedAField(main: HTMLElement): boolean {
  const active = document.activeElement;
  // After a path change a focused field must be the new page's own: the old page's fields are
  // unmounted with it, and the layouts that persist across pages hold no fields.
  return active instanceof HTMLElement && main.contains(active) && active.matches("input, select, textarea");
}

/**
 * Wraps every page: after client-side navigation it scrolls to the top and moves focus
 * to the main landmark (so screen readers start at the new content) unless the new page
 * focused a field itself (the sign-in code step), and it turns a 401 `unauthenticated`
 * into an in-app redirect to the login page.
 */
export function RootLayout() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const previousPath = useRef(pathname);

  useEffect(() => setUnauthenticatedHandler((loginPath) => void navigate(loginPath, { replace: true })), [navigate]);

  useEffect(() => {
    if (previousPath.current === pathname) return;
    previousPath.current = pathname;
    window.scrollTo(0, 0);
    const main = document.getElementById("main-content");
    if (main && !hasPageFocusedAField(main)) main.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <>
      <Outlet />
      <OfflineNotice />
    </>
  );
}

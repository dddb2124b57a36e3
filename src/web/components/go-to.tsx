import { useEffect } from "react";
import { Navigate } from "react-router";
import { isServerPath } from "../lib/safe-next-path";

/**
 * Goes on to `to`: a page of this app by client-side navigation, or a path the server answers
 * (single sign-on) by a full page load.
 */
export function GoTo({ to }: { to: string }) {
  const server = isServerPath(to);
  useEffect(() => {
    if (server) window.location.replace(to);
  }, [server, to]);
  return server ? null : <Navigate to={to} replace />;
}

/** Navigates to `to` the same way as {@link GoTo}, from an event handler. */
export function goTo(to: string, navigate: (to: string, options: { replace: boolean }) => unknown): void {
  if (isServerPath(to)) window.location.assign(to);
  else void navigate(to, { replace: true });
}

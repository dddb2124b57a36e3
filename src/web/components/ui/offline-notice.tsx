import { useEffect } from "react";
import { useIsOffline } from "../../lib/network-status";
import "./offline-notice.css";

/**
 * A bar at the bottom of every page while the browser is offline: what is on screen stays, and
 * nothing is sent until the connection is back (then the person tries again themselves). The
 * live region stays in the page so screen readers announce the bar when it appears. While it
 * shows, the page gets room below its end (`html[data-offline]`), so the bar never covers the
 * last field or button of a page scrolled to the bottom.
 */
export function OfflineNotice() {
  const isOffline = useIsOffline();
  useEffect(() => {
    const root = document.documentElement;
    if (isOffline) root.dataset.offline = "";
    else delete root.dataset.offline;
    return () => {
      delete root.dataset.offline;
    };
  }, [isOffline]);
  return (
    <div aria-live="polite">
      {isOffline ? (
        <p className="offline-notice">
          <strong>You're offline.</strong> Changes can't be saved until your connection is back.
        </p>
      ) : null}
    </div>
  );
}

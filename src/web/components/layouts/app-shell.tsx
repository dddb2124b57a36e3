import type { ReactNode } from "react";
import { Link } from "react-router";
import { PRODUCT_NAME } from "../../lib/use-page-title";
import "./app-shell.css";

/** Props of {@link AppShell}: the slots the app layer fills with feature components. */
export interface AppShellProps {
  /** The account switcher (from the accounts feature). */
  accountSwitcher?: ReactNode;
  /** The user menu (from the auth feature). */
  userMenu?: ReactNode;
  children: ReactNode;
}

/** The signed-in frame: skip link, top bar (banner) and the main landmark. */
export function AppShell({ accountSwitcher, userMenu, children }: AppShellProps) {
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main-content">
        Skip to content
      </a>
      <header className="top-bar">
        <div className="top-bar__inner">
          <Link to="/profile/general" className="top-bar__brand">
            <span className="brand-mark" aria-hidden="true">
              PC
            </span>
            <span className="top-bar__name">{PRODUCT_NAME}</span>
          </Link>
          <div className="top-bar__slots">
            {accountSwitcher ? <div className="top-bar__switcher">{accountSwitcher}</div> : null}
            {userMenu}
          </div>
        </div>
      </header>
      <main id="main-content" tabIndex={-1} className="app-shell__main">
        {children}
      </main>
    </div>
  );
}

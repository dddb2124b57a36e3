import type { ReactNode } from "react";
import { PRODUCT_NAME } from "../../lib/use-page-title";
import "./auth-layout.css";

/** Props of {@link AuthLayout}. */
export interface AuthLayoutProps {
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  /** Links under the card (e.g. "Back to sign in"). */
  footer?: ReactNode;
}

/** The frame of signed-out pages: product name, one centred card with the page's h1. */
export function AuthLayout({ title, description, children, footer }: AuthLayoutProps) {
  return (
    <div className="auth-layout">
      <a className="skip-link" href="#main-content">
        Skip to content
      </a>
      <header className="auth-layout__brand">
        <span className="brand-mark" aria-hidden="true">
          PC
        </span>
        <span>{PRODUCT_NAME}</span>
      </header>
      <main id="main-content" tabIndex={-1} className="auth-layout__main">
        <div className="auth-card">
          <div className="auth-card__heading">
            <h1 className="auth-card__title">{title}</h1>
            {description ? <p className="auth-card__description">{description}</p> : null}
          </div>
          {children}
        </div>
        {footer ? <div className="auth-layout__footer">{footer}</div> : null}
      </main>
    </div>
  );
}

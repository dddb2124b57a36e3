import type { ReactNode } from "react";
import { NavLink } from "react-router";
import "./profile-layout.css";

/** The profile sections, in menu order. */
export const PROFILE_SECTIONS = [
  { to: "/profile/general", label: "General" },
  { to: "/profile/accounts", label: "Accounts" },
  { to: "/profile/security", label: "Security" },
  { to: "/profile/sessions", label: "Sessions" },
  { to: "/profile/activity", label: "Activity" },
] as const;

/**
 * Side navigation beside the section's page on wide screens; a scrollable row of tabs
 * above it on narrow ones. The current link carries `aria-current="page"`.
 */
export function ProfileLayout({ children }: { children: ReactNode }) {
  return (
    <div className="profile-layout">
      <nav className="profile-nav" aria-label="Profile sections">
        <p className="profile-nav__title" aria-hidden="true">
          Your profile
        </p>
        <ul className="profile-nav__list">
          {PROFILE_SECTIONS.map((section) => (
            <li key={section.to}>
              <NavLink to={section.to} className="profile-nav__link">
                {section.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="profile-layout__content">{children}</div>
    </div>
  );
}

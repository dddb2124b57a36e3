import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import { NavLink, useLocation } from "react-router";
import "./profile-layout.css";

/** The profile sections, in menu order. */
export const PROFILE_SECTIONS = [
  { to: "/profile/general", label: "General" },
  { to: "/profile/accounts", label: "Accounts" },
  { to: "/profile/security", label: "Security" },
  { to: "/profile/sessions", label: "Sessions" },
  { to: "/profile/activity", label: "Activity" },
  { to: "/profile/apps", label: "Connected apps" },
] as const;

/** Which ends of a horizontally scrolling row hide more items. */
interface Overflow {
  start: boolean;
  end: boolean;
}

/**
 * Scrolls a sideways-scrolling row (only the row, never the page) so `item` is in full view
 * with a margin beside it: its neighbours show, saying "there is more", and the faded edges
 * never cover it.
 */
function revealInRow(list: HTMLElement, item: HTMLElement): void {
  if (list.scrollWidth <= list.clientWidth) return;
  const listBox = list.getBoundingClientRect();
  const itemBox = item.getBoundingClientRect();
  const start = itemBox.left - listBox.left + list.scrollLeft;
  const end = start + itemBox.width;
  const margin = Math.min(list.clientWidth / 4, 64);
  if (start < list.scrollLeft + margin) list.scrollLeft = Math.max(0, start - margin);
  else if (end > list.scrollLeft + list.clientWidth - margin) list.scrollLeft = end - list.clientWidth + margin;
}

/**
 * On narrow screens the section links become one row that scrolls sideways. This keeps the
 * current section's link, and the link keyboard focus is on, in view, and reports which ends
 * hide more links, so the row can fade out and show a chevron there.
 */
function useTabRowOverflow(pathname: string) {
  const listRef = useRef<HTMLUListElement>(null);
  const [overflow, setOverflow] = useState<Overflow>({ start: false, end: false });

  useLayoutEffect(() => {
    const list = listRef.current;
    const current = list?.querySelector<HTMLElement>('[aria-current="page"]');
    if (list && current) revealInRow(list, current);
  }, [pathname]);

  // Browsers leave a partly visible focused link where it is: under the faded edge.
  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const handleFocusIn = (event: FocusEvent) => {
      if (event.target instanceof HTMLElement) revealInRow(list, event.target);
    };
    list.addEventListener("focusin", handleFocusIn);
    return () => list.removeEventListener("focusin", handleFocusIn);
  }, []);

  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    function measure() {
      if (!list) return;
      const max = list.scrollWidth - list.clientWidth;
      const next = { start: list.scrollLeft > 1, end: max - list.scrollLeft > 1 };
      setOverflow((previous) => (previous.start === next.start && previous.end === next.end ? previous : next));
    }
    measure();
    list.addEventListener("scroll", measure, { passive: true });
    const observer = typeof ResizeObserver === "undefined" ? undefined : new ResizeObserver(measure);
    observer?.observe(list);
    return () => {
      list.removeEventListener("scroll", measure);
      observer?.disconnect();
    };
  }, [pathname]);

  return { listRef, overflow };
}

/**
 * Side navigation beside the section's page on wide screens; a row of tabs above it on narrow
 * ones, which scrolls sideways with the current tab kept in view and faded edges (with a
 * chevron) where more tabs hide. The current link carries `aria-current="page"`.
 */
export function ProfileLayout({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  const { listRef, overflow } = useTabRowOverflow(pathname);
  return (
    <div className="profile-layout">
      <nav
        className="profile-nav"
        aria-label="Profile sections"
        data-more-start={overflow.start || undefined}
        data-more-end={overflow.end || undefined}
      >
        <p className="profile-nav__title" aria-hidden="true">
          Your profile
        </p>
        <ul ref={listRef} className="profile-nav__list">
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

import { useEffect, useId, useRef, useState } from "react";
import type { KeyboardEvent, ReactNode } from "react";
import { Link } from "react-router";
import "./menu-button.css";

/** One entry of a {@link MenuButton}: a router link or an action. */
export type MenuItem =
  | { key: string; label: ReactNode; to: string; current?: boolean }
  | {
      key: string;
      label: ReactNode;
      onSelect: () => void;
      current?: boolean;
      disabled?: boolean;
      /** Makes the item one of a set of choices (`menuitemradio`), checked or not. */
      checked?: boolean;
    };

/** Props of {@link MenuButton}. */
export interface MenuButtonProps {
  /** The button's content (e.g. the person's name). */
  label: ReactNode;
  /** Accessible name when `label` is not enough text (e.g. "Account menu for Ada"). */
  ariaLabel?: string;
  items: readonly MenuItem[];
  /** Content above the items (not focusable), e.g. the signed-in email. */
  header?: ReactNode;
  align?: "start" | "end";
  className?: string;
}

/**
 * The WAI-ARIA menu button pattern: `aria-haspopup`, `aria-expanded`; Enter, Space or
 * ArrowDown opens and focuses the first item; arrows, Home and End move; Esc closes and
 * returns focus to the button; Tab and outside clicks close.
 */
export function MenuButton({ label, ariaLabel, items, header, align = "end", className }: MenuButtonProps) {
  const [isOpen, setIsOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const menuId = useId();
  const buttonId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<Array<HTMLElement | null>>([]);

  useEffect(() => {
    if (isOpen) itemRefs.current[focusIndex]?.focus();
  }, [isOpen, focusIndex]);

  useEffect(() => {
    if (!isOpen) return;
    function handlePointerDown(event: PointerEvent) {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false);
    }
    document.addEventListener("pointerdown", handlePointerDown);
    return () => document.removeEventListener("pointerdown", handlePointerDown);
  }, [isOpen]);

  function open(index: number) {
    setFocusIndex(index);
    setIsOpen(true);
  }

  function close(returnFocus: boolean) {
    setIsOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }

  function handleButtonKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      open(event.key === "ArrowDown" ? 0 : items.length - 1);
    }
  }

  function handleMenuKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const last = items.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: focusIndex >= last ? 0 : focusIndex + 1,
      ArrowUp: focusIndex <= 0 ? last : focusIndex - 1,
      Home: 0,
      End: last,
    };
    if (event.key in moves) {
      event.preventDefault();
      setFocusIndex(moves[event.key] ?? 0);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (event.key === "Tab") {
      close(false);
    }
  }

  function renderItem(item: MenuItem, index: number) {
    const common = {
      role: "menuitem",
      tabIndex: -1,
      className: "menu__item",
      "aria-current": item.current ? ("true" as const) : undefined,
      ref: (node: HTMLElement | null) => {
        itemRefs.current[index] = node;
      },
    };
    if ("to" in item) {
      return (
        <Link {...common} to={item.to} onClick={() => close(false)}>
          {item.label}
        </Link>
      );
    }
    return (
      <button
        {...common}
        {...(item.checked === undefined ? {} : { role: "menuitemradio", "aria-checked": item.checked })}
        type="button"
        aria-disabled={item.disabled || undefined}
        onClick={() => {
          if (item.disabled) return;
          close(true);
          item.onSelect();
        }}
      >
        {item.checked ? (
          <span className="menu__check" aria-hidden="true">
            ✓
          </span>
        ) : null}
        {item.label}
      </button>
    );
  }

  return (
    <div ref={rootRef} className={["menu", className].filter(Boolean).join(" ")}>
      <button
        ref={buttonRef}
        id={buttonId}
        type="button"
        className="menu__button"
        aria-haspopup="menu"
        aria-expanded={isOpen}
        aria-controls={isOpen ? menuId : undefined}
        aria-label={ariaLabel}
        onClick={() => (isOpen ? close(false) : open(0))}
        onKeyDown={handleButtonKeyDown}
      >
        {label}
        <span className="menu__chevron" aria-hidden="true" />
      </button>
      {isOpen ? (
        <div className={`menu__popover menu__popover--${align}`}>
          {header ? <div className="menu__header">{header}</div> : null}
          <ul id={menuId} role="menu" aria-labelledby={buttonId} className="menu__list" onKeyDown={handleMenuKeyDown}>
            {items.map((item, index) => (
              <li key={item.key} role="none">
                {renderItem(item, index)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

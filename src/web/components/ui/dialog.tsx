import { useEffect, useId, useRef } from "react";
import type { KeyboardEvent, ReactNode, RefObject } from "react";
import { getFocusableElements } from "./focusable";
import "./dialog.css";

/** Props of {@link Dialog}. */
export interface DialogProps {
  open: boolean;
  /** Called on Esc, the close button, or (when enabled) a click on the backdrop. */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Action buttons at the bottom. */
  footer?: ReactNode;
  size?: "sm" | "md" | "lg";
  /** Element to focus on open (default: the first focusable element in the body). */
  initialFocusRef?: RefObject<HTMLElement | null>;
  closeOnBackdropClick?: boolean;
  /** Hide the × button (e.g. while saving). */
  hideCloseButton?: boolean;
}

/**
 * An accessible modal: native `<dialog>` opened with `showModal()` (the rest of the page is
 * inert), `aria-modal`, labelled by its title, Tab and Shift+Tab kept inside, Esc closes,
 * and focus returns to what opened it (or to the main landmark when that is gone).
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  size = "md",
  initialFocusRef,
  closeOnBackdropClick = false,
  hideCloseButton = false,
}: DialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog || !open) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const target = initialFocusRef?.current ?? getFocusableElements(bodyRef.current)[0] ?? dialog;
    target.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
      // The opener went with what the dialog removed (a revoked session's button): the page's
      // main landmark, so keyboard and screen-reader users are not dropped to the top of the document.
      else document.getElementById("main-content")?.focus({ preventScroll: true });
    };
  }, [open, initialFocusRef]);

  function handleKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== "Tab") return;
    const focusable = getFocusableElements(dialogRef.current);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  if (!open) return null;
  return (
    <dialog
      ref={dialogRef}
      className={`dialog dialog--${size}`}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onKeyDown={handleKeyDown}
      onCancel={(event) => {
        // Esc: let React state decide, so the dialog never closes behind the app's back.
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (closeOnBackdropClick && event.target === dialogRef.current) onClose();
      }}
    >
      <div className="dialog__panel">
        <header className="dialog__header">
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          {hideCloseButton ? null : (
            <button type="button" className="dialog__close" onClick={onClose}>
              <span aria-hidden="true">×</span>
              <span className="sr-only">Close</span>
            </button>
          )}
        </header>
        {description ? (
          <p id={descriptionId} className="dialog__description">
            {description}
          </p>
        ) : null}
        <div ref={bodyRef} className="dialog__body">
          {children}
        </div>
        {footer ? <footer className="dialog__footer">{footer}</footer> : null}
      </div>
    </dialog>
  );
}

import type { ReactNode } from "react";
import "./alert.css";

/** Meaning of an {@link Alert}, which sets its colour, icon and ARIA role. */
export type AlertTone = "info" | "success" | "warning" | "error";

/** Props of {@link Alert}. */
export interface AlertProps {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  /** Extra content under the text, e.g. a link or button. */
  action?: ReactNode;
  onDismiss?: () => void;
  className?: string;
}

const ICONS: Record<AlertTone, string> = { info: "i", success: "✓", warning: "!", error: "!" };
const TONE_LABELS: Record<AlertTone, string> = {
  info: "Information",
  success: "Success",
  warning: "Warning",
  error: "Error",
};

/**
 * A banner message. Errors use `role="alert"` (announced at once); the other tones use
 * `role="status"` (announced politely).
 */
export function Alert({ tone = "info", title, children, action, onDismiss, className }: AlertProps) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={["alert", `alert--${tone}`, className].filter(Boolean).join(" ")}
    >
      <span className="alert__icon" aria-hidden="true">
        {ICONS[tone]}
      </span>
      <div className="alert__content">
        <span className="sr-only">{TONE_LABELS[tone]}: </span>
        {title ? <p className="alert__title">{title}</p> : null}
        {children ? <div className="alert__text">{children}</div> : null}
        {action ? <div className="alert__action">{action}</div> : null}
      </div>
      {onDismiss ? (
        <button type="button" className="alert__dismiss" onClick={onDismiss}>
          <span aria-hidden="true">×</span>
          <span className="sr-only">Dismiss</span>
        </button>
      ) : null}
    </div>
  );
}

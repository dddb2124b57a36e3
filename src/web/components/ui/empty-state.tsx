import type { ReactNode } from "react";
import { getErrorMessage } from "../../lib/error-messages";
import { Button } from "./button";
import "./empty-state.css";

/** Props of {@link EmptyState}. */
export interface EmptyStateProps {
  title: ReactNode;
  description?: ReactNode;
  /** A button or link that resolves the emptiness. */
  action?: ReactNode;
  /** A short decorative glyph. */
  icon?: ReactNode;
}

/** What a list or page shows when there is nothing in it yet. */
export function EmptyState({ title, description, action, icon = "○" }: EmptyStateProps) {
  return (
    <div className="empty-state">
      <span className="empty-state__icon" aria-hidden="true">
        {icon}
      </span>
      <p className="empty-state__title">{title}</p>
      {description ? <p className="empty-state__description">{description}</p> : null}
      {action ? <div className="empty-state__action">{action}</div> : null}
    </div>
  );
}

/** What a section shows when loading it failed: a friendly message and a retry button. */
export function ErrorState({
  error,
  onRetry,
  title = "We couldn't load this",
}: {
  error: unknown;
  onRetry?: () => void;
  title?: ReactNode;
}) {
  return (
    <div className="empty-state empty-state--error" role="alert">
      <span className="empty-state__icon" aria-hidden="true">
        !
      </span>
      <p className="empty-state__title">{title}</p>
      <p className="empty-state__description">{getErrorMessage(error)}</p>
      {onRetry ? (
        <div className="empty-state__action">
          <Button onClick={onRetry}>Try again</Button>
        </div>
      ) : null}
    </div>
  );
}

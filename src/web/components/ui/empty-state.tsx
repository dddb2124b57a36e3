import type { ReactNode } from "react";
import { getErrorMessage, isConnectionError } from "../../lib/error-messages";
import { isBrowserOffline } from "../../lib/network-status";
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

/**
 * What a section shows when loading it failed: a friendly message and a retry button. The title
 * says when the server could not be reached at all (default), which is not a fault on our side.
 */
export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: ReactNode }) {
  const [defaultTitle, description] = isBrowserOffline()
    ? ["You're offline", "This loads once your connection is back."]
    : isConnectionError(error)
      ? ["We couldn't reach the server", "Check your connection, or try again in a moment."]
      : ["We couldn't load this", getErrorMessage(error)];
  return (
    <div className="empty-state empty-state--error" role="alert">
      <span className="empty-state__icon" aria-hidden="true">
        !
      </span>
      <p className="empty-state__title">{title ?? defaultTitle}</p>
      <p className="empty-state__description">{description}</p>
      {onRetry ? (
        <div className="empty-state__action">
          <Button onClick={onRetry}>Try again</Button>
        </div>
      ) : null}
    </div>
  );
}

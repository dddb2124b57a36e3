import type { ReactNode } from "react";
import type { SessionDto } from "@contracts/sessions";
import { LoadMoreButton } from "../../../components/ui/load-more-button";
import { EmptyState, ErrorState } from "../../../components/ui/empty-state";
import { SkeletonText } from "../../../components/ui/skeleton";
import { useSessions, type SessionStatus } from "../api/sessions";
import { SessionItem } from "./session-item";

/** Props of {@link SessionList}. */
export interface SessionListProps {
  status: SessionStatus;
  /** Offer "Revoke" on each (active list). */
  onRevoke?: (session: SessionDto) => void;
  /** Leave the current session out (it has its own card). */
  hideCurrent?: boolean;
  empty: ReactNode;
}

/** A list of sessions, newest first, with "Load more" and its loading, empty and error states. */
export function SessionList({ status, onRevoke, hideCurrent = false, empty }: SessionListProps) {
  const query = useSessions(status);
  if (query.isPending) return <SkeletonText lines={4} label="Loading sessions…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const sessions = query.data.pages.flatMap((page) => page.items).filter((s) => !(hideCurrent && s.current));
  if (sessions.length === 0 && !query.hasNextPage) return <>{empty}</>;
  return (
    <div className="stack">
      <ul className="session-list" aria-busy={query.isFetching}>
        {sessions.map((session) => (
          <li key={session.id}>
            <SessionItem session={session} {...(onRevoke ? { onRevoke } : {})} />
          </li>
        ))}
      </ul>
      <LoadMoreButton query={query} />
    </div>
  );
}

/** Shown when the person is signed in on this device only. */
export function NoOtherSessions() {
  return <EmptyState title="No other active sessions" description="You are signed in on this device only." icon="✓" />;
}

/** Shown before any session ended. */
export function NoSessionHistory() {
  return (
    <EmptyState title="No ended sessions yet" description="Sessions you sign out of, revoke or that expire are listed here." />
  );
}

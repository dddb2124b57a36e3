import { Button } from "./button";
import "./load-more-button.css";

/** The part of a TanStack infinite query that {@link LoadMoreButton} drives. */
export interface PagedQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** Props of {@link LoadMoreButton}. */
export interface LoadMoreButtonProps {
  query: PagedQuery;
  /** Button text (default "Load more"). */
  label?: string;
}

/** "Load more" under a paged list: shown only while there is a next page, busy while it loads. */
export function LoadMoreButton({ query, label = "Load more" }: LoadMoreButtonProps) {
  if (!query.hasNextPage) return null;
  return (
    <div className="load-more">
      <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
        {label}
      </Button>
    </div>
  );
}

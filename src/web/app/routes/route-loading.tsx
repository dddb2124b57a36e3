import { LoadingState } from "../../components/ui/spinner";

/** The whole-page placeholder while the first page's code loads. */
export function RouteLoadingPage() {
  return (
    <main id="main-content" tabIndex={-1}>
      <h1 className="sr-only">Profile Center</h1>
      <LoadingState label="Loading…" />
    </main>
  );
}

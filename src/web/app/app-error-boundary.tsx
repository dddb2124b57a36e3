import { Component } from "react";
import type { ErrorInfo, ReactNode } from "react";

interface State {
  hasError: boolean;
}

/**
 * Last-resort boundary for errors outside the router (whose own error element handles
 * route errors). Shows no error text: it may hold server or internal detail.
 */
export class AppErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { hasError: false };

  static getDerivedStateFromError(): State {
    return { hasError: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error("Unhandled error in the web app", error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.hasError) return this.props.children;
    return (
      <main className="fatal-error">
        <h1>Something went wrong</h1>
        <p>Please reload the page. If it keeps happening, try again later.</p>
        <a href="/">Reload</a>
      </main>
    );
  }
}

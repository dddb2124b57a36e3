import { useState } from "react";
import type { ReactNode } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import type { QueryClient } from "@tanstack/react-query";
import { createQueryClient } from "../lib/query-client";
import { AppErrorBoundary } from "./app-error-boundary";

/** Props of {@link AppProvider}. */
export interface AppProviderProps {
  children: ReactNode;
  /** The query client to use (tests pass theirs to inspect it); default: a new one. */
  queryClient?: QueryClient;
}

/** Everything the app needs above the router: error boundary and the query client. */
export function AppProvider({ children, queryClient: givenQueryClient }: AppProviderProps) {
  const [queryClient] = useState(() => givenQueryClient ?? createQueryClient());
  return (
    <AppErrorBoundary>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </AppErrorBoundary>
  );
}

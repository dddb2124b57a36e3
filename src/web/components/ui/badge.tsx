import type { ReactNode } from "react";
import "./badge.css";

/** Colour of a {@link Badge}. */
export type BadgeTone = "neutral" | "info" | "success" | "warning" | "danger";

/** A small status label (`Current`, `Required`, `MFA on`). Text carries the meaning, not colour alone. */
export function Badge({ tone = "neutral", children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}

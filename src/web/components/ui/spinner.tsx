import "./spinner.css";

/** Props of {@link Spinner}. */
export interface SpinnerProps {
  size?: "sm" | "md" | "lg";
  /** When given, the spinner is announced (role="status") with this text; else it is decorative. */
  label?: string;
}

/** A rotating ring (static when the person prefers reduced motion). */
export function Spinner({ size = "md", label }: SpinnerProps) {
  const ring = <span className={`spinner spinner--${size}`} aria-hidden="true" />;
  if (!label) return ring;
  return (
    <span role="status" className="spinner-wrap">
      {ring}
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** A centred spinner with visible text, for a page or card that is loading. */
export function LoadingState({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading-state" role="status">
      <span className="spinner spinner--lg" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

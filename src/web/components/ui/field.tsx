import { useId } from "react";
import type { ReactNode } from "react";
import "./field.css";

/** Ids tying a control to its label, hint and error. */
export interface FieldIds {
  inputId: string;
  hintId: string;
  errorId: string;
}

/** Stable ids for one form field (the caller's `id` wins for the control). */
export function useFieldIds(id?: string): FieldIds {
  const generated = useId();
  const inputId = id ?? `field-${generated}`;
  return { inputId, hintId: `${inputId}-hint`, errorId: `${inputId}-error` };
}

/**
 * The `aria-describedby` value for a control: its hint, its error, and any extra ids,
 * or undefined when there is none.
 */
export function describedBy(ids: FieldIds, hasHint: boolean, hasError: boolean, extra?: string): string | undefined {
  const list = [hasHint ? ids.hintId : "", hasError ? ids.errorId : "", extra ?? ""].filter(Boolean);
  return list.length ? list.join(" ") : undefined;
}

/** Props of {@link FieldShell}. */
export interface FieldShellProps {
  ids: FieldIds;
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  /** Shows "(optional)" after the label. */
  optional?: boolean;
  children: ReactNode;
}

/** Label above, control, hint and inline error below: the layout every form field shares. */
export function FieldShell({ ids, label, hint, error, optional, children }: FieldShellProps) {
  return (
    <div className={`field${error ? " field--invalid" : ""}`}>
      <label className="field__label" htmlFor={ids.inputId}>
        {label}
        {optional ? <span className="field__optional"> (optional)</span> : null}
      </label>
      {hint ? (
        <p className="field__hint" id={ids.hintId}>
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p className="field__error" id={ids.errorId}>
          <span aria-hidden="true" className="field__error-icon">
            !
          </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}

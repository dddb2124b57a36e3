import type { ReactNode, Ref, SelectHTMLAttributes } from "react";
import { FieldShell, describedBy, useFieldIds } from "./field";

/** One choice of a {@link Select}. */
export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

/** Props of {@link Select}: native select props plus label, hint, error and options. */
export interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "children"> {
  label: ReactNode;
  options: readonly SelectOption[];
  hint?: ReactNode;
  error?: ReactNode;
  /** A first, empty choice such as "Choose…". */
  placeholder?: string;
  ref?: Ref<HTMLSelectElement>;
}

/** A labelled native select. */
export function Select({ label, options, hint, error, placeholder, id, className, ...rest }: SelectProps) {
  const ids = useFieldIds(id);
  return (
    <FieldShell ids={ids} label={label} hint={hint} error={error}>
      <select
        {...rest}
        id={ids.inputId}
        className={["input", className].filter(Boolean).join(" ")}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(ids, Boolean(hint), Boolean(error), rest["aria-describedby"])}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

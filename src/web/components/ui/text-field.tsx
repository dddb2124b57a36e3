import type { InputHTMLAttributes, ReactNode, Ref } from "react";
import { FieldShell, describedBy, useFieldIds } from "./field";

/** Props of {@link TextField}: native input props plus label, hint and error. */
export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "children"> {
  label: ReactNode;
  hint?: ReactNode;
  /** Inline error; sets aria-invalid and joins aria-describedby. */
  error?: ReactNode;
  /** Shows "(optional)" after the label. */
  optional?: boolean;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled text input with hint and inline error. */
export function TextField({ label, hint, error, optional, id, className, type = "text", ...rest }: TextFieldProps) {
  const ids = useFieldIds(id);
  return (
    <FieldShell ids={ids} label={label} hint={hint} error={error} optional={optional}>
      <input
        {...rest}
        id={ids.inputId}
        type={type}
        className={["input", className].filter(Boolean).join(" ")}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(ids, Boolean(hint), Boolean(error), rest["aria-describedby"])}
      />
    </FieldShell>
  );
}

import { useState } from "react";
import type { InputHTMLAttributes, ReactNode, Ref } from "react";
import { FieldShell, describedBy, useFieldIds } from "./field";
import "./password-field.css";

/** Props of {@link PasswordField}. */
export interface PasswordFieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "type" | "autoComplete" | "children" | "onPaste"
> {
  label: ReactNode;
  /** `current-password` to sign in or confirm; `new-password` to choose one (ASVS 6.2.7, checklist A8). */
  autoComplete: "current-password" | "new-password";
  hint?: ReactNode;
  error?: ReactNode;
  /** Rendered under the input, e.g. a strength meter (its id can join aria-describedby). */
  below?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/**
 * A password input (`type="password"`) with a show/hide toggle. Paste and password
 * managers are allowed: there is deliberately no paste handler (ASVS 6.2.6, checklist A8).
 */
export function PasswordField({ label, autoComplete, hint, error, below, id, className, ...rest }: PasswordFieldProps) {
  const ids = useFieldIds(id);
  const [isVisible, setIsVisible] = useState(false);
  return (
    <FieldShell ids={ids} label={label} hint={hint} error={error}>
      <div className="input-group">
        <input
          {...rest}
          id={ids.inputId}
          type={isVisible ? "text" : "password"}
          autoComplete={autoComplete}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          className={["input", "password-field__input", className].filter(Boolean).join(" ")}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(ids, Boolean(hint), Boolean(error), rest["aria-describedby"])}
        />
        <button
          type="button"
          className="password-field__toggle"
          aria-controls={ids.inputId}
          onClick={() => setIsVisible((value) => !value)}
        >
          {isVisible ? "Hide" : "Show"}
          <span className="sr-only"> password</span>
        </button>
      </div>
      {below}
    </FieldShell>
  );
}

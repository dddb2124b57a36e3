import type { Ref } from "react";
import { TextField } from "./text-field";
import "./code-field.css";

/** Props of {@link CodeField}. */
export interface CodeFieldProps {
  value: string;
  onChange: (value: string) => void;
  /** Default "Authentication code" when a recovery code is allowed, else "6-digit code". */
  label?: string;
  error?: string | undefined;
  /** Also accept a recovery code (letters and dashes), e.g. to turn MFA off without the phone. */
  allowRecovery?: boolean;
  hint?: string;
  ref?: Ref<HTMLInputElement>;
}

/**
 * The authenticator code input of every signed-in form and dialog: `autocomplete="one-time-code"`
 * (browsers and password managers fill it), a numeric keypad on phones, and, where allowed, a
 * recovery code instead (then a text keypad: recovery codes hold letters).
 */
export function CodeField({ value, onChange, label, error, allowRecovery = false, hint, ref }: CodeFieldProps) {
  return (
    <TextField
      ref={ref}
      label={label ?? (allowRecovery ? "Authentication code" : "6-digit code")}
      hint={
        hint ??
        (allowRecovery
          ? "The 6-digit code your authenticator app shows now, or one of your recovery codes."
          : "The 6-digit code your authenticator app shows now.")
      }
      name="code"
      autoComplete="one-time-code"
      inputMode={allowRecovery ? "text" : "numeric"}
      autoCapitalize="none"
      spellCheck={false}
      maxLength={allowRecovery ? 20 : 7}
      className="code-field__input"
      value={value}
      onChange={(event) => onChange(allowRecovery ? event.target.value : event.target.value.replace(/[^\d\s]/g, ""))}
      error={error}
    />
  );
}

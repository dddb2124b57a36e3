import type { Ref } from "react";
import { TextField } from "../../../components/ui/text-field";

/** Props of {@link CodeField}. */
export interface CodeFieldProps {
  value: string;
  onChange: (value: string) => void;
  label?: string;
  error?: string | undefined;
  /** Also accept a recovery code (letters and dashes), e.g. to turn MFA off without the phone. */
  allowRecovery?: boolean;
  hint?: string;
  ref?: Ref<HTMLInputElement>;
}

/**
 * The 6-digit code input: `autocomplete="one-time-code"` (browsers and password managers fill
 * it), a numeric keypad on phones, and, where allowed, a recovery code instead.
 */
export function CodeField({ value, onChange, label = "6-digit code", error, allowRecovery = false, hint, ref }: CodeFieldProps) {
  return (
    <TextField
      ref={ref}
      label={label}
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
      className="code-input security-code-input"
      value={value}
      onChange={(event) => onChange(allowRecovery ? event.target.value : event.target.value.replace(/[^\d\s]/g, ""))}
      error={error}
    />
  );
}

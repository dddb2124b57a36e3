import type { Ref } from "react";
import { TextField } from "../../../components/ui/text-field";

/** Props of {@link SignInEmailField}. */
export interface SignInEmailFieldProps {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  ref?: Ref<HTMLInputElement>;
  /** Also offer passkeys among the field's suggestions (`autocomplete="username webauthn"`). */
  passkeyAutofill?: boolean;
}

/**
 * The email a person signs in with: `autocomplete="username"` (so password managers pair it
 * with the password), an email keypad on phones, no auto-capitalisation or spell-check.
 */
export function SignInEmailField({ value, onChange, error, ref, passkeyAutofill = false }: SignInEmailFieldProps) {
  return (
    <TextField
      ref={ref}
      label="Email"
      name="email"
      type="email"
      autoComplete={passkeyAutofill ? "username webauthn" : "username"}
      inputMode="email"
      autoCapitalize="none"
      spellCheck={false}
      required
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
    />
  );
}

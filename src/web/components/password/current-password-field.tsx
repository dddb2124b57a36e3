import type { ReactNode, Ref } from "react";
import { PasswordField } from "../ui/password-field";

/** Props of {@link CurrentPasswordField}. */
export interface CurrentPasswordFieldProps {
  value: string;
  onChange: (value: string) => void;
  /** "Password" in a confirmation, "Current password" beside a new one. */
  label?: ReactNode;
  error?: ReactNode;
  name?: string;
  autoFocus?: boolean;
  required?: boolean;
  ref?: Ref<HTMLInputElement>;
}

/**
 * The password a signed-in person types to confirm it's them (password change, email change,
 * re-authentication, account deletion): `autocomplete="current-password"`, so password
 * managers fill it (ASVS 6.2.7, checklist A8).
 */
export function CurrentPasswordField({
  value,
  onChange,
  label = "Password",
  error,
  name = "password",
  autoFocus,
  required,
  ref,
}: CurrentPasswordFieldProps) {
  return (
    <PasswordField
      ref={ref}
      label={label}
      name={name}
      autoComplete="current-password"
      autoFocus={autoFocus}
      required={required}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
    />
  );
}

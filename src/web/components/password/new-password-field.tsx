import { useId } from "react";
import type { ReactNode, Ref } from "react";
import { LIMITS } from "@contracts/limits";
import { findPersonalWordProblem } from "@contracts/password-rules";
import { PasswordField } from "../ui/password-field";
import { countCodePoints, usePasswordStrength } from "../../lib/password-strength";
import "./new-password-field.css";

/** Props of {@link NewPasswordField}. */
export interface NewPasswordFieldProps {
  value: string;
  onChange: (value: string) => void;
  label?: ReactNode;
  /** Server or form error shown at the field (e.g. the `weak_password` reason). */
  error?: ReactNode;
  /** Words that make a password guessable for this person (name, email). */
  userInputs?: readonly string[];
  minLength?: number;
  name?: string;
  required?: boolean;
  ref?: Ref<HTMLInputElement>;
}

const LEVELS = ["Very weak", "Weak", "Fair", "Strong", "Very strong"] as const;

/**
 * The rules every new password meets before it is sent (the server checks them again, with the
 * blocklist): the length, counted in Unicode code points as the server does (checklist A1), and
 * the server's own rule against the person's name, email and the product's name. Returns the
 * message to show at the field, or undefined when the password may be sent.
 */
export function checkNewPassword(
  password: string,
  {
    minLength = LIMITS.passwordMinLength,
    maxLength = LIMITS.passwordMaxLength,
    userInputs = [],
  }: { minLength?: number; maxLength?: number; userInputs?: readonly string[] } = {},
): string | undefined {
  const length = countCodePoints(password);
  if (length < minLength) return `Use at least ${minLength} characters (you have ${length}).`;
  if (length > maxLength) return `Use at most ${maxLength} characters.`;
  return findPersonalWordProblem(password, userInputs);
}

/** The password policy, said before the person types (NIST SP 800-63B-4 §3.1.1.2). */
export function PasswordPolicyHint({ minLength = LIMITS.passwordMinLength }: { minLength?: number }) {
  return (
    <>
      Use at least {minLength} characters. No special characters needed: a few unrelated words make a strong password. Common and
      breached passwords are refused.
    </>
  );
}

/**
 * A `new-password` field with the policy stated up front and a zxcvbn strength meter
 * (announced politely, tied to the input with aria-describedby).
 */
export function NewPasswordField({
  value,
  onChange,
  label = "New password",
  error,
  userInputs = [],
  minLength = LIMITS.passwordMinLength,
  name = "newPassword",
  required = true,
  ref,
}: NewPasswordFieldProps) {
  const meterId = useId();
  const strength = usePasswordStrength(value, userInputs);
  const length = countCodePoints(value);
  const isTooShort = length > 0 && length < minLength;
  // The server refuses these whatever their strength: the meter says so before submit.
  const refusal = value && !isTooShort ? findPersonalWordProblem(value, userInputs) : undefined;
  const score = isTooShort || refusal ? Math.min(strength?.score ?? 0, refusal ? 0 : 1) : (strength?.score ?? 0);
  const text = !value
    ? ""
    : isTooShort
      ? `Too short: ${length} of ${minLength} characters.`
      : refusal
        ? `Not allowed: ${refusal}`
        : strength
          ? `Strength: ${LEVELS[score]}.${strength.warning ? ` ${strength.warning}` : ""}`
          : "Checking strength…";

  return (
    <PasswordField
      ref={ref}
      label={label}
      name={name}
      autoComplete="new-password"
      required={required}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      hint={<PasswordPolicyHint minLength={minLength} />}
      error={error}
      aria-describedby={meterId}
      below={
        <div className="strength" data-score={value ? score : undefined}>
          <div className="strength__bar" aria-hidden="true">
            {[0, 1, 2, 3].map((step) => (
              <span key={step} className={value && score > step ? "strength__segment is-on" : "strength__segment"} />
            ))}
          </div>
          <p id={meterId} className="strength__text" aria-live="polite">
            {text}
          </p>
          {value && !isTooShort && !refusal && strength && strength.score < 3 && strength.suggestions[0] ? (
            <p className="strength__tip">{strength.suggestions[0]}</p>
          ) : null}
        </div>
      }
    />
  );
}

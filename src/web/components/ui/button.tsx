import type { ButtonHTMLAttributes, MouseEvent, Ref } from "react";
import { Spinner } from "./spinner";
import "./button.css";

/** Visual weight of a button: one primary action per view, danger for destructive ones. */
export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "sm" | "md";

/** Props of {@link Button}: every native button prop plus the look and a loading state. */
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Shows a spinner, sets aria-busy and ignores clicks (also blocks form submission). */
  loading?: boolean;
  fullWidth?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

/** Class names of a button look, for router links that must look like buttons. */
export function buttonClassName(options: { variant?: ButtonVariant; size?: ButtonSize; fullWidth?: boolean } = {}): string {
  const { variant = "secondary", size = "md", fullWidth = false } = options;
  return ["btn", `btn--${variant}`, `btn--${size}`, fullWidth ? "btn--full" : ""].filter(Boolean).join(" ");
}

/** A button. Defaults to `type="button"` so it never submits a form by accident. */
export function Button({
  variant = "secondary",
  size = "md",
  loading = false,
  fullWidth = false,
  type = "button",
  className,
  children,
  onClick,
  ...rest
}: ButtonProps) {
  function handleClick(event: MouseEvent<HTMLButtonElement>) {
    if (loading) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  }
  return (
    <button
      {...rest}
      // The type is one of submit/button/reset, chosen by the caller.
      type={type}
      className={[buttonClassName({ variant, size, fullWidth }), className].filter(Boolean).join(" ")}
      aria-busy={loading || undefined}
      aria-disabled={loading || rest.disabled || undefined}
      onClick={handleClick}
    >
      {loading ? <Spinner size="sm" /> : null}
      <span className="btn__label">{children}</span>
    </button>
  );
}

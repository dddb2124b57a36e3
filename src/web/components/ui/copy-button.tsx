import { useEffect, useState } from "react";
import { Button } from "./button";
import type { ButtonSize, ButtonVariant } from "./button";

/** Props of {@link CopyButton}. */
export interface CopyButtonProps {
  /** The text put on the clipboard. */
  value: string;
  /** Button text, e.g. "Copy secret key". */
  label?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
}

async function writeToClipboard(value: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    return false;
  }
}

/** Copies `value` to the clipboard and says so (visibly and to screen readers) for a moment. */
export function CopyButton({ value, label = "Copy", variant = "secondary", size = "sm" }: CopyButtonProps) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = window.setTimeout(() => setState("idle"), 2500);
    return () => window.clearTimeout(timer);
  }, [state]);

  async function handleClick() {
    setState((await writeToClipboard(value)) ? "copied" : "failed");
  }

  return (
    <span className="copy-button">
      <Button variant={variant} size={size} onClick={handleClick}>
        {state === "copied" ? "Copied" : label}
      </Button>
      <span className="sr-only" role="status">
        {state === "copied" ? "Copied to clipboard" : state === "failed" ? "Copy failed: select the text and copy it" : ""}
      </span>
    </span>
  );
}

import { useSyncExternalStore } from "react";

/** What the person chose in the user menu; `system` follows `prefers-color-scheme`. */
export type ThemeChoice = "light" | "dark" | "system";

/** The choices, in the order the menu lists them. */
export const THEME_CHOICES: readonly ThemeChoice[] = ["light", "dark", "system"];

const STORAGE_KEY = "pc.theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";
const listeners = new Set<() => void>();
/** The choice in force on this page (read from storage on first use). */
let current: ThemeChoice | undefined;

function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === "light" || value === "dark" || value === "system";
}

/** The remembered choice (this browser, every visit); `system` when none or storage is unavailable. */
export function readThemeChoice(): ThemeChoice {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isThemeChoice(stored) ? stored : "system";
  } catch {
    return "system";
  }
}

function systemPrefersDark(): boolean {
  return typeof window.matchMedia === "function" && window.matchMedia(DARK_QUERY).matches;
}

/** Sets `data-theme` on the root element to the theme in force (the tokens in styles/tokens.css switch on it). */
function applyTheme(choice: ThemeChoice = readThemeChoice()): void {
  const dark = choice === "dark" || (choice === "system" && systemPrefersDark());
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

/** Remembers and applies a choice; every {@link useThemeChoice} re-renders. */
export function setThemeChoice(choice: ThemeChoice): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage unavailable (private mode): the choice lasts for this page view.
  }
  current = choice;
  applyTheme(choice);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The person's theme choice, re-rendering when it changes. */
export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, () => (current ??= readThemeChoice()));
}

/**
 * Applies the remembered theme now, and from then on follows the system's setting as it changes
 * (e.g. a phone turning dark at night) while the choice is `system`. Called once at start-up.
 */
export function startTheme(): void {
  applyTheme();
  if (typeof window.matchMedia !== "function") return;
  window.matchMedia(DARK_QUERY).addEventListener("change", () => {
    if ((current ?? readThemeChoice()) === "system") applyTheme("system");
  });
}

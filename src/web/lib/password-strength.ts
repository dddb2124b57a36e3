import { useEffect, useState } from "react";

/** What the strength meter shows for one password. */
export interface PasswordStrength {
  /** zxcvbn's 0 (guessable) … 4 (very hard to guess). */
  score: 0 | 1 | 2 | 3 | 4;
  /** Why it is weak, in words, when zxcvbn has a reason. */
  warning: string | undefined;
  suggestions: string[];
}

type Estimator = (password: string, userInputs: string[]) => PasswordStrength;

// zxcvbn's dictionaries are large: loaded on demand so sign-in pages stay small.
let estimatorPromise: Promise<Estimator> | undefined;

const WARNINGS: Record<string, string> = {
  straightRow: "Straight rows of keys are easy to guess.",
  keyPattern: "Short keyboard patterns are easy to guess.",
  simpleRepeat: "Repeated characters like “aaa” are easy to guess.",
  extendedRepeat: "Repeated patterns like “abcabcabc” are easy to guess.",
  sequences: "Common sequences like “abc” are easy to guess.",
  recentYears: "Recent years are easy to guess.",
  dates: "Dates are easy to guess.",
  topTen: "This is a very common password.",
  topHundred: "This is a frequently used password.",
  common: "This is a commonly used password.",
  similarToCommon: "This is similar to a commonly used password.",
  wordByItself: "Single words are easy to guess.",
  namesByThemselves: "Single names or surnames are easy to guess.",
  commonNames: "Common names and surnames are easy to guess.",
  userInputs: "It shouldn't contain your name, email or this product's name.",
  pwned: "This password appeared in a data breach.",
};

const SUGGESTIONS: Record<string, string> = {
  l33t: "Avoid predictable letter substitutions like “@” for “a”.",
  reverseWords: "Avoid reversed spellings of common words.",
  allUppercase: "Capitalise some, but not all, letters.",
  capitalization: "Capitalise more than the first letter.",
  dates: "Avoid dates and years that are associated with you.",
  recentYears: "Avoid recent years.",
  associatedYears: "Avoid years that are associated with you.",
  sequences: "Avoid common character sequences.",
  repeated: "Avoid repeated words and characters.",
  longerKeyboardPattern: "Use longer keyboard patterns and change typing direction several times.",
  anotherWord: "Add more words that are less common.",
  useWords: "Use several unrelated words together.",
  noNeed: "You can create strong passwords without symbols, numbers or uppercase letters.",
  pwned: "If you use this password elsewhere, you should change it.",
};

/** Loads zxcvbn-ts with its common dictionaries (once). */
export function loadPasswordEstimator(): Promise<Estimator> {
  estimatorPromise ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common")]).then(([core, common]) => {
    core.zxcvbnOptions.setOptions({
      dictionary: { ...common.dictionary },
      graphs: common.adjacencyGraphs,
    });
    return (password, userInputs) => {
      const result = core.zxcvbn(password, userInputs);
      const warning = result.feedback.warning ? WARNINGS[result.feedback.warning] : undefined;
      return {
        score: result.score,
        warning,
        suggestions: result.feedback.suggestions.map((key) => SUGGESTIONS[key] ?? "").filter(Boolean),
      };
    };
  });
  return estimatorPromise;
}

/** Password length as people count it: Unicode code points, as the server does (checklist A1). */
export function countCodePoints(value: string): number {
  return [...value].length;
}

/**
 * The strength of `password` (undefined while empty or while zxcvbn loads), re-estimated
 * 150 ms after typing stops. `userInputs` (name, email) count as guessable words.
 */
export function usePasswordStrength(password: string, userInputs: readonly string[] = []): PasswordStrength | undefined {
  // Keyed by the password it was computed for, so a stale estimate is never shown.
  const [estimate, setEstimate] = useState<{ password: string; strength: PasswordStrength }>();
  const inputsKey = userInputs.join("\u0000");
  useEffect(() => {
    if (!password) return;
    let isCurrent = true;
    const timer = window.setTimeout(() => {
      void loadPasswordEstimator().then((estimator) => {
        const strength = estimator(password, ["profile center", ...inputsKey.split("\u0000")]);
        if (isCurrent) setEstimate({ password, strength });
      });
    }, 150);
    return () => {
      isCurrent = false;
      window.clearTimeout(timer);
    };
  }, [password, inputsKey]);
  return password && estimate?.password === password ? estimate.strength : undefined;
}

import { useEffect, useId, useMemo, useRef, useState } from "react";
import type { KeyboardEvent, ReactNode } from "react";
import { FieldShell, describedBy, useFieldIds } from "./field";
import "./combobox.css";

/** One choice of a {@link Combobox}. */
export interface ComboboxOption {
  value: string;
  /** Text shown in the input once chosen, and as the option's first line. */
  label: string;
  /** Second, muted line of the option. */
  description?: string;
  /** Extra words the search matches (aliases, cities, country…). */
  keywords?: string;
  /**
   * Names the option answers to, strongest group first (e.g. its own city, then its country):
   * the search lists exact matches of these first, then names they start with, then the rest.
   */
  rankBy?: readonly (readonly string[])[];
}

/** Props of {@link Combobox}. */
export interface ComboboxProps {
  label: ReactNode;
  options: readonly ComboboxOption[];
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: ReactNode;
  placeholder?: string;
  /** Most options listed at once (the search narrows the rest). */
  maxResults?: number;
  id?: string;
}

function normalize(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[_\s]+/g, " ")
    .toLowerCase()
    .trim();
}

/** Places after the exact, starts-with and word-start matches of every group. */
const LOOSE_MATCH = Number.MAX_SAFE_INTEGER;

/**
 * How well `query` matches an option's ranked names (lower is better): an exact name of any
 * group beats every partial one, then names that start with the query, then names with a word
 * that does; within a kind, the stronger group first.
 */
export function rankMatch(query: string, groups: readonly (readonly string[])[]): number {
  const kinds: Array<(name: string) => boolean> = [
    (name) => name === query,
    (name) => name.startsWith(query),
    (name) => name.split(/[\s/,()-]+/).some((word) => word.startsWith(query)),
  ];
  for (const [kind, matches] of kinds.entries()) {
    const group = groups.findIndex((names) => names.some((name) => matches(normalize(name))));
    if (group >= 0) return kind * groups.length + group;
  }
  return LOOSE_MATCH;
}

/**
 * A searchable single-choice list (WAI-ARIA combobox with a listbox popup): type to
 * filter, ArrowUp/ArrowDown to move, Enter to choose, Esc to close.
 */
export function Combobox({ label, options, value, onChange, hint, error, placeholder, maxResults = 500, id }: ComboboxProps) {
  const ids = useFieldIds(id);
  const listId = useId();
  const statusId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const selected = options.find((option) => option.value === value);
  const [query, setQuery] = useState("");
  const [isOpen, setIsOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(0);

  const haystacks = useMemo(
    () =>
      options.map((option) =>
        normalize(
          `${option.label} ${option.description ?? ""} ${option.keywords ?? ""} ${(option.rankBy ?? []).flat().join(" ")}`,
        ),
      ),
    [options],
  );
  const results = useMemo(() => {
    const wanted = normalize(query);
    const words = wanted.split(" ").filter(Boolean);
    const matches = options.filter((_, index) => words.every((word) => haystacks[index]?.includes(word)));
    if (!wanted) return matches.slice(0, maxResults);
    // Best match first (the order given breaks ties): Enter takes the first one listed.
    const ranked = matches.map((option, order) => ({
      option,
      order,
      rank: rankMatch(wanted, option.rankBy ?? [[option.label]]),
    }));
    ranked.sort((a, b) => a.rank - b.rank || a.order - b.order);
    return ranked.slice(0, maxResults).map(({ option }) => option);
  }, [options, haystacks, query, maxResults]);

  useEffect(() => {
    if (!isOpen) return;
    listRef.current?.querySelector(`[data-index="${activeIndex}"]`)?.scrollIntoView({ block: "nearest" });
  }, [activeIndex, isOpen, results]);

  function open() {
    setIsOpen(true);
    const index = results.findIndex((option) => option.value === value);
    setActiveIndex(Math.max(0, index));
  }

  function close() {
    setIsOpen(false);
    setQuery("");
  }

  function choose(option: ComboboxOption | undefined) {
    if (!option) return;
    onChange(option.value);
    close();
  }

  function handleKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!isOpen) return open();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActiveIndex((index) => Math.min(Math.max(index + step, 0), Math.max(results.length - 1, 0)));
    } else if (event.key === "Enter" && isOpen) {
      event.preventDefault();
      choose(results[activeIndex]);
    } else if (event.key === "Escape" && isOpen) {
      event.preventDefault();
      close();
    }
  }

  const activeId = isOpen && results[activeIndex] ? `${listId}-${activeIndex}` : undefined;
  return (
    <FieldShell ids={ids} label={label} hint={hint} error={error}>
      <div className="combobox">
        <input
          ref={inputRef}
          id={ids.inputId}
          className="input combobox__input"
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={isOpen}
          aria-controls={listId}
          aria-activedescendant={activeId}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(ids, Boolean(hint), Boolean(error), statusId)}
          placeholder={isOpen ? placeholder : undefined}
          value={isOpen ? query : (selected?.label ?? value)}
          onFocus={(event) => event.target.select()}
          onClick={() => (isOpen ? undefined : open())}
          onChange={(event) => {
            setQuery(event.target.value);
            setIsOpen(true);
            setActiveIndex(0);
          }}
          onKeyDown={handleKeyDown}
          onBlur={close}
        />
        <span className="combobox__chevron" aria-hidden="true" />
        <ul ref={listRef} id={listId} role="listbox" className="combobox__list" hidden={!isOpen} aria-labelledby={ids.inputId}>
          {isOpen
            ? results.map((option, index) => (
                <li
                  key={option.value}
                  id={`${listId}-${index}`}
                  data-index={index}
                  role="option"
                  aria-selected={option.value === value}
                  className={index === activeIndex ? "combobox__option is-active" : "combobox__option"}
                  // mousedown, not click: it fires before the input's blur closes the list.
                  onMouseDown={(event) => {
                    event.preventDefault();
                    choose(option);
                  }}
                  onMouseMove={() => setActiveIndex(index)}
                >
                  <span className="combobox__option-label">{option.label}</span>
                  {option.description ? <span className="combobox__option-description">{option.description}</span> : null}
                </li>
              ))
            : null}
        </ul>
        <span id={statusId} className="sr-only" aria-live="polite">
          {isOpen ? (results.length ? `${results.length} results. Use the arrow keys to choose.` : "No results.") : ""}
        </span>
      </div>
      {isOpen && results.length === 0 ? <p className="combobox__empty">No match for “{query}”.</p> : null}
    </FieldShell>
  );
}

// The query bar: the language toggle (search syntax / SQL), the query input
// with field-name autocomplete, the syntax help, and a marker under the
// input at the position a syntax error names. Enter runs the query (or
// accepts the suggestion chosen with the arrow keys; Tab takes the first).
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { applySuggestion, suggestFields, tokenAt } from './fieldAutocomplete';
import type { QueryLanguage } from './searchUrlState';
import SyntaxHelp from './SyntaxHelp';

export interface QueryBarProps {
  value: string;
  onChange: (q: string) => void;
  lang: QueryLanguage;
  onLangChange: (lang: QueryLanguage) => void;
  onRun: () => void;
  fields: string[];
  errorPosition: number | null; // 1-based, in the query that ran
  ranQuery: string;
  placeholder: string;
  children?: ReactNode; // time picker and run button
}

export default function QueryBar({ value, onChange, lang, onLangChange, onRun, fields, errorPosition, ranQuery, placeholder, children }: QueryBarProps) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [cursor, setCursor] = useState(0);
  const [focused, setFocused] = useState(false);
  const [active, setActive] = useState(-1); // -1: none chosen, Enter runs
  const [dismissed, setDismissed] = useState(false);

  const token = tokenAt(value, cursor);
  const suggestions = focused && !dismissed ? suggestFields(token.text, fields, lang) : [];
  const open = suggestions.length > 0;

  // Put the caret where a syntax error was found.
  useEffect(() => {
    const input = inputRef.current;
    if (errorPosition === null || !input || value !== ranQuery) return;
    const at = Math.min(Math.max(errorPosition - 1, 0), value.length);
    input.focus();
    input.setSelectionRange(at, at);
    // Only when a new error arrives.
  }, [errorPosition, ranQuery]);

  const accept = (field: string) => {
    const next = applySuggestion(value, token, field, lang);
    onChange(next.query);
    setCursor(next.cursor);
    setActive(-1);
    requestAnimationFrame(() => {
      inputRef.current?.focus();
      inputRef.current?.setSelectionRange(next.cursor, next.cursor);
    });
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (open && e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => (a + 1) % suggestions.length);
    } else if (open && e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a <= 0 ? suggestions.length - 1 : a - 1));
    } else if (open && (e.key === 'Tab' || (e.key === 'Enter' && active >= 0))) {
      e.preventDefault();
      accept(suggestions[Math.max(0, Math.min(active, suggestions.length - 1))]);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setDismissed(true);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      setDismissed(true);
      onRun();
    }
  };

  const syncCursor = (e: React.SyntheticEvent<HTMLInputElement>) => setCursor(e.currentTarget.selectionStart ?? 0);
  const showMarker = errorPosition !== null && value === ranQuery && value.length > 0;
  const markerAt = showMarker ? Math.min(Math.max(errorPosition! - 1, 0), value.length) : 0;

  return (
    <div className="sr-querybar">
      <div className="sr-lang" role="radiogroup" aria-label="Query language">
        {(['lucene', 'sql'] as const).map((l) => (
          <button key={l} type="button" role="radio" aria-checked={lang === l} className={lang === l ? 'active' : ''} onClick={() => onLangChange(l)}>
            {l === 'lucene' ? 'Lucene' : 'SQL'}
          </button>
        ))}
      </div>
      <div className="sr-query">
        <label htmlFor={`${id}-q`} className="sr-visually-hidden">
          Query
        </label>
        <input
          id={`${id}-q`}
          ref={inputRef}
          className={`mono${showMarker ? ' sr-query-error' : ''}`}
          value={value}
          spellCheck={false}
          autoComplete="off"
          placeholder={placeholder}
          role="combobox"
          aria-expanded={open}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 ? `${id}-opt-${active}` : undefined}
          onChange={(e) => {
            onChange(e.target.value);
            setCursor(e.target.selectionStart ?? 0);
            setActive(-1);
            setDismissed(false);
          }}
          onKeyDown={onKeyDown}
          onKeyUp={syncCursor}
          onClick={syncCursor}
          onSelect={syncCursor}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
        />
        {open && (
          <ul className="sr-suggest" id={`${id}-list`} role="listbox" aria-label="Fields">
            {suggestions.map((f, i) => (
              <li
                key={f}
                id={`${id}-opt-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : ''}
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(f);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span className="mono">{f}</span>
              </li>
            ))}
          </ul>
        )}
        {showMarker && (
          <div className="sr-error-marker mono" aria-label={`Error at position ${errorPosition}`}>
            {value.slice(0, markerAt)}
            <mark>{value.slice(markerAt, markerAt + 1) || ' '}</mark>
            {value.slice(markerAt + 1)}
          </div>
        )}
      </div>
      <SyntaxHelp lang={lang} />
      {children}
    </div>
  );
}

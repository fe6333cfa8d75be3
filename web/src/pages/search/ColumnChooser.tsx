// The "Columns" menu: the columns shown (remove, move left), a box to add
// any field (signal columns and attribute keys seen in the results are
// suggested), and a reset to the source's defaults.
import { useCallback, useId, useRef, useState } from 'react';
import { useClickOutside } from '../../components/useClickOutside';

export interface ColumnChooserProps {
  columns: string[];
  candidates: string[];
  onChange: (columns: string[] | null) => void; // null: the defaults
}

export default function ColumnChooser({ columns, candidates, onChange }: ColumnChooserProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  useClickOutside(ref, Boolean(open), useCallback(() => setOpen(false), []));

  const add = (name: string) => {
    const c = name.trim();
    if (!c || columns.includes(c)) return;
    onChange([...columns, c]);
    setText('');
  };
  const move = (i: number) => {
    if (i <= 0) return;
    const next = columns.slice();
    [next[i - 1], next[i]] = [next[i], next[i - 1]];
    onChange(next);
  };
  const available = candidates.filter((c) => !columns.includes(c));

  return (
    <div className="sr-colchooser" ref={ref} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Columns ({columns.length})
      </button>
      {open && (
        <div className="sr-popover sr-colchooser-pop" role="dialog" aria-label="Choose columns">
          <ul className="sr-collist">
            {columns.map((c, i) => (
              <li key={c}>
                <span className="mono">{c}</span>
                <button type="button" className="secondary sr-action" aria-label={`Move ${c} left`} disabled={i === 0} onClick={() => move(i)}>
                  ↑
                </button>
                <button type="button" className="secondary sr-action" aria-label={`Remove ${c}`} disabled={columns.length === 1} onClick={() => onChange(columns.filter((x) => x !== c))}>
                  ✕
                </button>
              </li>
            ))}
          </ul>
          <form
            className="sr-coladd"
            onSubmit={(e) => {
              e.preventDefault();
              add(text);
            }}
          >
            <label htmlFor={`${id}-add`}>Add a field</label>
            <input id={`${id}-add`} className="mono" list={`${id}-fields`} value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. http.status_code" />
            <datalist id={`${id}-fields`}>
              {available.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            <button type="submit" disabled={!text.trim()}>
              Add
            </button>
          </form>
          <button type="button" className="link" onClick={() => onChange(null)}>
            Reset to default columns
          </button>
        </div>
      )}
    </div>
  );
}

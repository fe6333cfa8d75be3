// Saved searches: a menu that loads one (source, query, language, columns)
// and a form that saves the current search under a name
// (GET/POST /api/v2/saved-searches).
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { get, post } from '../../api/client';
import type { Source } from '../../api/types';
import type { QueryLanguage } from './searchUrlState';
import { useClickOutside } from '../../components/useClickOutside';

export interface SavedSearch {
  id: string;
  name: string;
  sourceId: string;
  where: string;
  whereLanguage: QueryLanguage;
  select: string;
  orderBy?: string;
  tags?: string[];
}

export interface SavedSearchesProps {
  sources: Source[];
  current: { sourceId: string; where: string; whereLanguage: QueryLanguage; select: string };
  onLoad: (s: SavedSearch) => void;
}

export default function SavedSearches({ sources, current, onLoad }: SavedSearchesProps) {
  const id = useId();
  const [list, setList] = useState<SavedSearch[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [open, setOpen] = useState<'load' | 'save' | null>(null);
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [savedName, setSavedName] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  const refresh = useCallback(() => {
    setListError(null);
    get<{ data: SavedSearch[] }>('/api/v2/saved-searches')
      .then((r) => setList(r.data))
      .catch((e: Error) => setListError(e.message));
  }, []);
  useEffect(refresh, [refresh]);

  useClickOutside(ref, Boolean(open), useCallback(() => setOpen(null), []));

  useEffect(() => {
    if (!savedName) return;
    const t = setTimeout(() => setSavedName(null), 2500);
    return () => clearTimeout(t);
  }, [savedName]);

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      await post<SavedSearch>('/api/v2/saved-searches', { name: name.trim(), ...current });
      setSavedName(name.trim());
      setName('');
      setOpen(null);
      refresh();
    } catch (e) {
      setSaveError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const sourceName = (sid: string) => sources.find((s) => s.id === sid)?.name ?? `source ${sid} (missing)`;

  return (
    <div className="sr-saved" ref={ref} onKeyDown={(e) => e.key === 'Escape' && setOpen(null)}>
      <button type="button" className="secondary" aria-expanded={open === 'load'} onClick={() => setOpen(open === 'load' ? null : 'load')}>
        Saved searches{list ? ` (${list.length})` : ''} ▾
      </button>
      <button type="button" className="secondary" aria-expanded={open === 'save'} onClick={() => setOpen(open === 'save' ? null : 'save')}>
        Save search
      </button>
      {savedName && <span className="sr-ok sr-small" role="status">Saved “{savedName}”</span>}
      {open === 'load' && (
        <div className="sr-popover sr-saved-pop" role="dialog" aria-label="Saved searches">
          {listError && <div className="error-box sr-small">{listError}</div>}
          {!list && !listError && <div className="muted">Loading…</div>}
          {list && list.length === 0 && <div className="muted">No saved searches yet. Run a search, then “Save search”.</div>}
          {list && list.length > 0 && (
            <ul className="sr-saved-list">
              {list.map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    className="sr-saved-item"
                    onClick={() => {
                      onLoad(s);
                      setOpen(null);
                    }}
                  >
                    <span className="sr-saved-name">{s.name}</span>
                    <span className="muted sr-small">
                      {sourceName(s.sourceId)} · {s.whereLanguage === 'sql' ? 'SQL' : 'Lucene'}
                    </span>
                    <span className="mono sr-small sr-saved-where">{s.where || '(every row)'}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {open === 'save' && (
        <form
          className="sr-popover sr-saved-pop"
          aria-label="Save this search"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) void save();
          }}
        >
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Checkout errors" />
          <div className="muted sr-small">
            Saves the source, the query ({current.whereLanguage === 'sql' ? 'SQL' : 'Lucene'}) and the columns; not the time range.
          </div>
          {saveError && <div className="error-box sr-small">{saveError}</div>}
          <button type="submit" disabled={!name.trim() || saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </form>
      )}
    </div>
  );
}

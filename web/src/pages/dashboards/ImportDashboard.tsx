// Import an exported dashboard ({"version":1,"name","tiles","tags"}, tile
// sources by name): paste it or choose a file, then POST
// /api/v2/dashboards/import. The server maps source names to this team's
// sources and names any it does not know.
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { post } from '../../api/client';
import type { Dashboard } from './dashboardModel';

interface Props {
  onImported: (d: Dashboard) => void;
  onCancel: () => void;
}

export default function ImportDashboard({ onImported, onCancel }: Props) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const readFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    try {
      setText(await file.text());
      setError(null);
    } catch {
      setError(`Could not read ${file.name}.`);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      setError(`This is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onImported(await post<Dashboard>('/api/v2/dashboards/import', doc));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <form className="card dash-import" onSubmit={submit} aria-label="Import a dashboard">
      <h3>Import a dashboard</h3>
      <p className="muted">
        Paste a document from “Export JSON” (on this or another otelstack server) or choose its file. Tiles refer to sources by
        name; each must exist in this team.
      </p>
      <label className="dash-file">
        <span>File</span>
        <input type="file" accept="application/json,.json" onChange={readFile} />
      </label>
      <label className="dash-json">
        <span>JSON document</span>
        <textarea
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={10}
          spellCheck={false}
          className="mono"
          placeholder='{"version": 1, "name": "…", "tiles": [...], "tags": []}'
        />
      </label>
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
      <div className="dash-import-actions">
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? 'Importing…' : 'Import'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

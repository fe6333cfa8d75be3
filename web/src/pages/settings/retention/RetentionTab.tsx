// Settings → Retention (admins): how long each signal is kept — what the
// server was started with, an override set here (or with `otelstack
// retention set`), and what applies now. Shortening it drops expired days
// within about a second, for good.

import { useEffect, useState } from 'react';
import { del, put } from '../../../api/client';
import ErrorBox from '../common/ErrorBox';
import { errorText } from '../common/errors';
import { useApiData } from '../common/useApiData';
import { formatRetention, parseRetention, type RetentionResponse, type SignalRetention } from './retention';

function SignalRow({ row, onChange }: { row: SignalRetention; onChange: (r: RetentionResponse) => void }) {
  const [text, setText] = useState(formatRetention(row.effectiveSeconds));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(formatRetention(row.effectiveSeconds)), [row.effectiveSeconds]);

  async function run(action: () => Promise<RetentionResponse>) {
    setBusy(true);
    setError(null);
    try {
      onChange(await action());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  function save() {
    const seconds = parseRetention(text);
    if (typeof seconds !== 'number') {
      setError(seconds.error);
      return;
    }
    if (seconds !== 0 && seconds < row.effectiveSeconds && row.effectiveSeconds !== 0) {
      const ok = window.confirm(
        `Keep ${row.signal} for ${formatRetention(seconds)} instead of ${formatRetention(row.effectiveSeconds)}? ` +
          'Data older than that is deleted within a second and cannot be recovered.',
      );
      if (!ok) return;
    }
    void run(() => put<RetentionResponse>(`/api/team/retention/${row.signal}`, { seconds }));
  }

  const inputId = `retention-${row.signal}`;
  return (
    <tr>
      <td>
        <label htmlFor={inputId}>{row.signal}</label>
      </td>
      <td>
        {formatRetention(row.configuredSeconds)} <span className="muted">({row.configuredSource})</span>
      </td>
      <td>
        <input id={inputId} value={text} size={8} onChange={(e) => setText(e.target.value)} disabled={busy} />{' '}
        <button type="button" onClick={save} disabled={busy}>
          Save
        </button>{' '}
        {row.overrideSeconds !== null && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void run(() => del<RetentionResponse>(`/api/team/retention/${row.signal}`))}
          >
            Use configured
          </button>
        )}
        <ErrorBox message={error} onDismiss={() => setError(null)} />
      </td>
      <td>{row.overrideSeconds !== null ? 'override' : 'configured'}</td>
    </tr>
  );
}

export default function RetentionTab({ isAdmin }: { isAdmin: boolean }) {
  const loaded = useApiData<RetentionResponse>(isAdmin ? '/api/team/retention' : null);
  const [data, setData] = useState<RetentionResponse | null>(null);
  useEffect(() => {
    if (loaded.data) setData(loaded.data);
  }, [loaded.data]);

  if (!isAdmin) {
    return (
      <section className="settings-section">
        <h2>Retention</h2>
        <p className="notice">Only admins can see and change how long data is kept.</p>
      </section>
    );
  }
  return (
    <section className="settings-section">
      <h2>Retention</h2>
      <p className="muted">
        How long each signal is kept, in whole UTC days dropped as they expire. An override here wins over the
        server’s flags and configuration; 0 keeps data forever (the disk may fill up).
      </p>
      <ErrorBox message={loaded.error} />
      {loaded.loading && !data && <p className="muted">Loading…</p>}
      {data && (
        <table className="simple">
          <thead>
            <tr>
              <th>Signal</th>
              <th>Server setting</th>
              <th>Keep data for</th>
              <th>From</th>
            </tr>
          </thead>
          <tbody>
            {data.signals.map((row) => (
              <SignalRow key={row.signal} row={row} onChange={setData} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

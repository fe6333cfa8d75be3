// Settings → Query limits (admins): per role, how many rows a query may read
// and how long it may run, and whether going over fails the query (throw,
// HTTP 429) or returns what was found so far (break, marked partial). Shows
// what each role runs with now ("effective": defaults and the operator's
// ceiling applied).

import { useEffect, useState, type FormEvent } from 'react';
import { put } from '../../../api/client';
import type { Role } from '../../../api/types';
import ErrorBox from '../common/ErrorBox';
import { errorText } from '../common/errors';
import { useApiData } from '../common/useApiData';
import {
  describeRows,
  describeSeconds,
  draftFromSettings,
  LIMIT_ROLES,
  settingsBody,
  type QuerySettingsResponse,
  type RoleDraft,
  type SettingsDraft,
} from './querySettings';

export default function QuerySettingsTab({ isAdmin }: { isAdmin: boolean }) {
  const loaded = useApiData<QuerySettingsResponse>(isAdmin ? '/api/team/query-settings' : null);
  const [response, setResponse] = useState<QuerySettingsResponse | null>(null);
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (loaded.data) {
      setResponse(loaded.data);
      setDraft(draftFromSettings(loaded.data.settings));
    }
  }, [loaded.data]);

  if (!isAdmin) {
    return (
      <section className="settings-section">
        <h2>Query limits</h2>
        <p className="notice">Only admins can see and change the team’s query limits.</p>
      </section>
    );
  }

  const update = (role: Role, patch: Partial<RoleDraft>) => {
    setSaved(false);
    setDraft((d) => (d ? { ...d, [role]: { ...d[role], ...patch } } : d));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    setError(null);
    setSaved(false);
    const result = settingsBody(draft);
    if ('error' in result) {
      setError(result.error);
      return;
    }
    setBusy(true);
    try {
      const r = await put<QuerySettingsResponse>('/api/team/query-settings', result.body);
      setResponse(r);
      setDraft(draftFromSettings(r.settings));
      setSaved(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="settings-section">
      <h2>Query limits</h2>
      <p className="muted">
        Every search, chart and trace query of the team runs with its user’s role limits. Blank means the server
        default; no setting goes beyond the ceiling the operator set. Over a limit, <b>throw</b> fails the query (the
        user sees “narrow the query”), <b>break</b> stops reading and shows the rows found so far, marked partial.
      </p>
      {loaded.loading && !response && <div className="loading">Loading query limits…</div>}
      <ErrorBox message={loaded.error} />
      {draft && response && (
        <form onSubmit={submit}>
          <table className="simple settings-table query-limits">
            <thead>
              <tr>
                <th>Limit</th>
                {LIMIT_ROLES.map((r) => (
                  <th key={r} scope="col">
                    {r}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Rows to read (max_rows_to_read)</th>
                {LIMIT_ROLES.map((r) => (
                  <td key={r}>
                    <input
                      aria-label={`${r}: rows to read`}
                      inputMode="numeric"
                      placeholder="server default"
                      value={draft[r].maxRowsToRead}
                      onChange={(e) => update(r, { maxRowsToRead: e.target.value })}
                    />
                    <Effective text={describeRows(response.effective[r].max_rows_to_read)} />
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row">Over the row limit (read_overflow_mode)</th>
                {LIMIT_ROLES.map((r) => (
                  <td key={r}>
                    <ModeSelect label={`${r}: over the row limit`} value={draft[r].readOverflowMode} onChange={(v) => update(r, { readOverflowMode: v })} />
                    <Effective text={response.effective[r].read_overflow_mode} />
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row">Execution time, seconds (max_execution_time)</th>
                {LIMIT_ROLES.map((r) => (
                  <td key={r}>
                    <input
                      aria-label={`${r}: execution time in seconds`}
                      inputMode="decimal"
                      placeholder="server default"
                      value={draft[r].maxExecutionTime}
                      onChange={(e) => update(r, { maxExecutionTime: e.target.value })}
                    />
                    <Effective text={describeSeconds(response.effective[r].max_execution_time)} />
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row">Over the time limit (timeout_overflow_mode)</th>
                {LIMIT_ROLES.map((r) => (
                  <td key={r}>
                    <ModeSelect label={`${r}: over the time limit`} value={draft[r].timeoutOverflowMode} onChange={(v) => update(r, { timeoutOverflowMode: v })} />
                    <Effective text={response.effective[r].timeout_overflow_mode} />
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          <ErrorBox message={error} onDismiss={() => setError(null)} />
          <div className="form-buttons">
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save limits'}
            </button>
            {saved && <span className="test-ok" role="status">Saved. New queries use these limits.</span>}
          </div>
        </form>
      )}
    </section>
  );
}

function Effective({ text }: { text: string }) {
  return <div className="muted small">effective: {text}</div>;
}

function ModeSelect({ label, value, onChange }: { label: string; value: string; onChange: (v: '' | 'throw' | 'break') => void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as '' | 'throw' | 'break')}>
      <option value="">server default</option>
      <option value="throw">throw (fail the query)</option>
      <option value="break">break (return partial rows)</option>
    </select>
  );
}

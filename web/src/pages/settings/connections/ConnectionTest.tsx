// The "Test" button of the ClickHouse form: POST /api/connections/test
// (SELECT 1 within 2 s) and the answer, ok or the server's reason.

import { useState } from 'react';
import { post } from '../../../api/client';
import { errorText } from '../common/errors';
import { testBody, type ClickHouseDraft } from './connections';

type Result = { ok: true } | { ok: false; error: string };

export default function ConnectionTest({ draft, hasStoredPassword }: { draft: ClickHouseDraft; hasStoredPassword: boolean }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  async function test() {
    setBusy(true);
    setResult(null);
    try {
      setResult(await post<Result>('/api/connections/test', testBody(draft)));
    } catch (e) {
      setResult({ ok: false, error: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="connection-test">
      <button type="button" className="secondary" disabled={busy || draft.url.trim() === ''} onClick={test}>
        {busy ? 'Testing…' : 'Test connection'}
      </button>
      <span aria-live="polite">
        {result?.ok === true && <span className="test-ok">✓ Connected (SELECT 1 succeeded)</span>}
        {result?.ok === false && <span className="test-failed">✗ {result.error}</span>}
      </span>
      {hasStoredPassword && draft.password === '' && (
        <div className="muted small">The test uses only what is typed here: type the password to test with it.</div>
      )}
    </div>
  );
}

// Ingestion keys (admins): the keys OTLP clients send in the `authorization`
// header. List, create, reveal (audited), rotate with a grace period, revoke.
// Other roles get an explanation instead of the keys.

import { useState } from 'react';
import { del, post } from '../../../api/client';
import type { ApiKey, CreatedKey } from '../common/keyStatus';
import ErrorBox from '../common/ErrorBox';
import { errorText } from '../common/errors';
import SecretValue from '../common/SecretValue';
import { useApiData } from '../common/useApiData';
import CreateKeyForm from './CreateKeyForm';
import KeyTable from './KeyTable';

interface Shown {
  title: string;
  raw: string;
  note: string;
}

export default function IngestionKeysSection({ isAdmin }: { isAdmin: boolean }) {
  const keys = useApiData<{ data: ApiKey[] }>(isAdmin ? '/api/ingestion-keys' : null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (!isAdmin) {
    return (
      <section className="settings-section">
        <h2>Ingestion keys</h2>
        <p className="notice">
          Ingestion keys let OpenTelemetry SDKs and collectors send data to this server. Only admins can see and
          manage them: ask an admin of your team for the key.
        </p>
      </section>
    );
  }

  async function run(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
    }
  }

  const create = async (name: string) => {
    let ok = false;
    await run(async () => {
      const r = await post<CreatedKey>('/api/ingestion-keys', { name });
      setShown({ title: `New key “${r.key.name}”`, raw: r.raw, note: 'Admins can reveal it again later; the reveal is recorded in the audit log.' });
      ok = true;
      keys.reload();
    });
    return ok;
  };

  return (
    <section className="settings-section">
      <h2>Ingestion keys</h2>
      <p className="muted">
        OTLP clients send one of these in the <code className="mono">authorization</code> header. Changes reach the
        OTLP listeners at once.
      </p>
      <ErrorBox message={error} onDismiss={() => setError(null)} />
      {shown && (
        <div className="card key-shown">
          <SecretValue label={shown.title} value={shown.raw} note={shown.note} />
          <button type="button" className="secondary" onClick={() => setShown(null)}>
            Hide
          </button>
        </div>
      )}
      <CreateKeyForm label="New ingestion key" placeholder="e.g. production collector" onCreate={create} />
      {keys.loading && !keys.data && <div className="loading">Loading keys…</div>}
      <ErrorBox message={keys.error} />
      {keys.data && keys.data.data.length === 0 && (
        <p className="notice">No ingestion keys: nothing can send data until you create one.</p>
      )}
      {keys.data && keys.data.data.length > 0 && (
        <KeyTable
          keys={keys.data.data}
          onReveal={(k) =>
            run(async () => {
              const r = await post<{ raw: string }>(`/api/ingestion-keys/${k.id}/reveal`);
              setShown({ title: `Key “${k.name}”`, raw: r.raw, note: 'This reveal is recorded in the audit log.' });
            })
          }
          onRotate={(k, graceSeconds) =>
            run(async () => {
              const r = await post<CreatedKey>(`/api/ingestion-keys/${k.id}/rotate`, { graceSeconds });
              setShown({
                title: `New key replacing “${k.name}”`,
                raw: r.raw,
                note: graceSeconds > 0 ? 'The old key keeps working until its grace period ends.' : 'The old key no longer works.',
              });
              keys.reload();
            })
          }
          onRevoke={(k) =>
            run(async () => {
              await del(`/api/ingestion-keys/${k.id}`);
              setShown(null);
              keys.reload();
            })
          }
        />
      )}
    </section>
  );
}

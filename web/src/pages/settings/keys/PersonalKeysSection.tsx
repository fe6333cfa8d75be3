// Your personal access keys (every role): `Authorization: Bearer osk_…` for
// scripts calling /api/v2. The raw key is shown once, at creation or
// rotation; it cannot be revealed later.

import { useState } from 'react';
import { del, post } from '../../../api/client';
import type { ApiKey, CreatedKey } from '../common/keyStatus';
import ErrorBox from '../common/ErrorBox';
import { errorText } from '../common/errors';
import SecretValue from '../common/SecretValue';
import { useApiData } from '../common/useApiData';
import CreateKeyForm from './CreateKeyForm';
import KeyTable from './KeyTable';

export default function PersonalKeysSection() {
  const keys = useApiData<{ data: ApiKey[] }>('/api/me/keys');
  const [created, setCreated] = useState<{ title: string; raw: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<void>): Promise<boolean> {
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  }

  return (
    <section className="settings-section">
      <h2>Personal access keys</h2>
      <p className="muted">
        For scripts and tools calling the API as you (<code className="mono">Authorization: Bearer osk_…</code> on{' '}
        <code className="mono">/api/v2</code>), with your role. Limited to 100 requests per minute per key.
      </p>
      <ErrorBox message={error} onDismiss={() => setError(null)} />
      {created && (
        <div className="card key-shown">
          <SecretValue
            label={created.title}
            value={created.raw}
            note="Copy it now: it is shown only once and cannot be revealed later."
          />
          <button type="button" className="secondary" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      )}
      <CreateKeyForm
        label="New personal key"
        placeholder="e.g. laptop scripts"
        onCreate={(name) =>
          run(async () => {
            const r = await post<CreatedKey>('/api/me/keys', { name });
            setCreated({ title: `New key “${r.key.name}”`, raw: r.raw });
            keys.reload();
          })
        }
      />
      {keys.loading && !keys.data && <div className="loading">Loading keys…</div>}
      <ErrorBox message={keys.error} />
      {keys.data && keys.data.data.length === 0 && <p className="muted">You have no personal access keys.</p>}
      {keys.data && keys.data.data.length > 0 && (
        <KeyTable
          keys={keys.data.data}
          onRotate={async (k, graceSeconds) => {
            await run(async () => {
              const r = await post<CreatedKey>(`/api/me/keys/${k.id}/rotate`, { graceSeconds });
              setCreated({ title: `New key replacing “${k.name}”`, raw: r.raw });
              keys.reload();
            });
          }}
          onRevoke={async (k) => {
            await run(async () => {
              await del(`/api/me/keys/${k.id}`);
              keys.reload();
            });
          }}
        />
      )}
    </section>
  );
}

// Invitations (admins): create a link, see which are pending, used or
// expired, and withdraw pending ones.

import { useState } from 'react';
import { del } from '../../../api/client';
import ConfirmButton from '../common/ConfirmButton';
import ErrorBox from '../common/ErrorBox';
import { errorText } from '../common/errors';
import TimeCell from '../common/TimeCell';
import { useApiData } from '../common/useApiData';
import InviteForm from './InviteForm';
import { invitationStatus, sortInvitations, type Invitation } from './invitations';

const STATUS_CLASS = { pending: 'badge-ok', used: 'badge-off', expired: 'badge-off' } as const;

export default function InvitationsSection() {
  const invitations = useApiData<{ data: Invitation[] }>('/api/team/invitations');
  const [error, setError] = useState<string | null>(null);
  const now = Date.now();

  async function withdraw(inv: Invitation) {
    setError(null);
    try {
      await del(`/api/team/invitations/${inv.id}`);
    } catch (e) {
      setError(errorText(e));
    }
    invitations.reload();
  }

  return (
    <section className="settings-section">
      <h2>Invitations</h2>
      <InviteForm onCreated={invitations.reload} />
      <ErrorBox message={error} onDismiss={() => setError(null)} />
      {invitations.loading && !invitations.data && <div className="loading">Loading invitations…</div>}
      <ErrorBox message={invitations.error} />
      {invitations.data && invitations.data.data.length === 0 && (
        <p className="muted">No invitations yet. Create a link above and send it to the person you want to add.</p>
      )}
      {invitations.data && invitations.data.data.length > 0 && (
        <table className="simple settings-table">
          <thead>
            <tr>
              <th>For</th>
              <th>Role</th>
              <th>Created</th>
              <th>Expires</th>
              <th>Status</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {sortInvitations(invitations.data.data, now).map((inv) => {
              const status = invitationStatus(inv, now);
              return (
                <tr key={inv.id} className={status === 'pending' ? undefined : 'row-inactive'}>
                  <td>{inv.email || <span className="muted">anyone with the link</span>}</td>
                  <td>
                    <span className="role">{inv.role}</span>
                  </td>
                  <td>
                    <TimeCell ms={inv.createdAt} />
                  </td>
                  <td>
                    <TimeCell ms={inv.expiresAt} />
                  </td>
                  <td>
                    <span className={`badge ${STATUS_CLASS[status]}`}>{status}</span>
                    {status === 'used' && (
                      <>
                        {' '}
                        <TimeCell ms={inv.usedAt} />
                      </>
                    )}
                  </td>
                  <td className="actions">
                    {status === 'pending' && (
                      <ConfirmButton
                        label="Withdraw"
                        question="Withdraw this invitation? The link stops working."
                        onConfirm={() => withdraw(inv)}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

// The team's members: name, email, role and when they joined. Admins change
// roles in place (the server refuses to leave the team without an admin and
// says so) and remove members (their sessions and keys go with them).

import { useState } from 'react';
import { del, patch } from '../../../api/client';
import type { Role, User } from '../../../api/types';
import ConfirmButton from '../common/ConfirmButton';
import ErrorBox from '../common/ErrorBox';
import { errorText } from '../common/errors';
import { ROLES } from '../common/roles';
import TimeCell from '../common/TimeCell';
import { useApiData } from '../common/useApiData';

export default function MembersSection({ isAdmin, myId }: { isAdmin: boolean; myId: string }) {
  const members = useApiData<{ data: User[] }>('/api/team/members');
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  async function changeRole(user: User, role: Role) {
    setError(null);
    setBusyId(user.id);
    try {
      await patch(`/api/team/members/${user.id}`, { role });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusyId(null);
      members.reload();
    }
  }

  async function remove(user: User) {
    setError(null);
    try {
      await del(`/api/team/members/${user.id}`);
    } catch (e) {
      setError(errorText(e));
    }
    members.reload();
  }

  return (
    <section className="settings-section">
      <h2>Members</h2>
      <ErrorBox message={error} onDismiss={() => setError(null)} />
      {members.loading && !members.data && <div className="loading">Loading members…</div>}
      <ErrorBox message={members.error} />
      {members.data && (
        <table className="simple settings-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Joined</th>
              {isAdmin && <th aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {members.data.data.map((u) => (
              <tr key={u.id}>
                <td>
                  {u.name || <span className="muted">—</span>}
                  {u.id === myId && <span className="muted"> (you)</span>}
                </td>
                <td>{u.email}</td>
                <td>
                  {isAdmin ? (
                    <select
                      aria-label={`Role of ${u.email}`}
                      value={u.role}
                      disabled={busyId === u.id}
                      onChange={(e) => void changeRole(u, e.target.value as Role)}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span className="role">{u.role}</span>
                  )}
                </td>
                <td>
                  <TimeCell ms={u.createdAt} />
                </td>
                {isAdmin && (
                  <td className="actions">
                    {u.id !== myId && (
                      <ConfirmButton
                        label="Remove"
                        question={`Remove ${u.email}? Their sessions and keys end now.`}
                        onConfirm={() => remove(u)}
                      />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

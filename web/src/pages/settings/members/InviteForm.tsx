// Create an invitation: an optional email (then only that address can use
// it) and a role. Shows the single-use link to send, with Copy.

import { useId, useState, type FormEvent } from 'react';
import { post } from '../../../api/client';
import type { Role } from '../../../api/types';
import ErrorBox from '../common/ErrorBox';
import { errorText } from '../common/errors';
import { ROLES } from '../common/roles';
import SecretValue from '../common/SecretValue';
import { invitationLink, type CreatedInvitation } from './invitations';

export default function InviteForm({ onCreated }: { onCreated: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<{ url: string; email: string } | null>(null);
  const emailId = useId();
  const roleId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: { role: Role; email?: string } = { role };
      if (email.trim()) body.email = email.trim();
      const r = await post<CreatedInvitation>('/api/team/invitations', body);
      setLink({ url: invitationLink(window.location.origin, r.token), email: r.invitation.email });
      setEmail('');
      onCreated();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="invite-form">
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor={emailId}>Email (optional)</label>
        <input
          id={emailId}
          type="email"
          value={email}
          placeholder="anyone with the link"
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor={roleId}>Role</label>
        <select id={roleId} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create invitation link'}
        </button>
      </form>
      <ErrorBox message={error} onDismiss={() => setError(null)} />
      {link && (
        <div className="card key-shown">
          <SecretValue
            label={link.email ? `Invitation link for ${link.email}` : 'Invitation link (anyone who has it can join)'}
            value={link.url}
            note="Single use, valid for 30 days. Copy it now: the link is shown only once."
          />
          <button type="button" className="secondary" onClick={() => setLink(null)}>
            Done
          </button>
        </div>
      )}
    </div>
  );
}

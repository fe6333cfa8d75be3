// /join-team?token=…: accept an invitation. Shows the team and role it
// grants (or why the link no longer works), then creates the account —
// with the invitation's email when it names one — and signs in.

import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, get, post } from '../../api/client';
import type { Role } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { formatTime, useTimeZone } from '../../lib/timezone';
import { errorText, isAbort } from '../settings/common/errors';
import { passwordAcceptable } from './passwordRules';
import PasswordFields from './PasswordFields';
import './auth.css';

interface InvitationInfo {
  teamName: string;
  email: string;
  role: Role;
  expiresAt: number;
}

type Load = { state: 'loading' } | { state: 'ok'; info: InvitationInfo } | { state: 'invalid'; title: string; message: string };

function invalidFrom(e: unknown): Load {
  if (e instanceof ApiError && e.status === 404) {
    return { state: 'invalid', title: 'Unknown invitation', message: 'This link is not valid: it may have been withdrawn, or it was copied incompletely.' };
  }
  if (e instanceof ApiError && e.status === 409) {
    return { state: 'invalid', title: 'Invitation no longer valid', message: `${e.message}. Ask an admin of the team for a new link.` };
  }
  return { state: 'invalid', title: 'Could not load the invitation', message: errorText(e) };
}

export default function JoinTeamPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { refresh } = useAuth();
  const navigate = useNavigate();
  const tz = useTimeZone();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  useEffect(() => {
    if (!token) {
      setLoad({ state: 'invalid', title: 'No invitation', message: 'This page needs the full invitation link (…/join-team?token=…).' });
      return;
    }
    const controller = new AbortController();
    get<InvitationInfo>(`/api/join-team/${encodeURIComponent(token)}`, { signal: controller.signal })
      .then((info) => {
        setLoad({ state: 'ok', info });
        setEmail(info.email);
      })
      .catch((e) => {
        if (!isAbort(e)) setLoad(invalidFrom(e));
      });
    return () => controller.abort();
  }, [token]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, string> = { token, email: email.trim(), password, confirmPassword: confirm };
      if (name.trim()) body.name = name.trim();
      await post('/api/join-team', body);
      await refresh();
      navigate('/search', { replace: true });
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <div className="auth-page">
      <div className="card">
        <div className="auth-brand">otelstack</div>
        {load.state === 'loading' && <div className="loading">Checking the invitation…</div>}
        {load.state === 'invalid' && (
          <>
            <h1>{load.title}</h1>
            <p>{load.message}</p>
            <Link to="/login">Go to the login</Link>
          </>
        )}
        {load.state === 'ok' && (
          <>
            <h1>Join {load.info.teamName}</h1>
            <div className="invite-summary">
              You are invited as <span className="role">{load.info.role}</span>
              {load.info.email && (
                <>
                  {' '}
                  for <b>{load.info.email}</b>
                </>
              )}
              . The link works once, until {formatTime(load.info.expiresAt, tz)}.
            </div>
            <form onSubmit={submit}>
              <label htmlFor={`${id}-email`}>Email</label>
              <input
                id={`${id}-email`}
                type="email"
                autoComplete="email"
                required
                readOnly={load.info.email !== ''}
                autoFocus={load.info.email === ''}
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
              <label htmlFor={`${id}-name`}>
                Name <span className="optional">(optional)</span>
              </label>
              <input id={`${id}-name`} autoComplete="name" autoFocus={load.info.email !== ''} value={name} onChange={(e) => setName(e.target.value)} />
              <PasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} />
              {error && (
                <div className="error-box" role="alert">
                  {error}
                </div>
              )}
              <button type="submit" disabled={busy || !email.trim() || !passwordAcceptable(password, confirm)}>
                {busy ? 'Joining…' : 'Create account and join'}
              </button>
            </form>
            <div className="auth-footer">
              Already have an account? <Link to="/login">Log in</Link>
            </div>
          </>
        )}
      </div>
    </div>
  );
}

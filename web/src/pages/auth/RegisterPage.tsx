// /register: the first account on a new server. Creates the team, its admin,
// the Embedded connection and the default sources, then continues to
// onboarding. Once a team exists registration is closed (409) and the page
// says so, pointing to the login.

import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, post } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { useTeamExists } from '../../auth/installation';
import { errorText } from '../settings/common/errors';
import { passwordAcceptable } from './passwordRules';
import PasswordFields from './PasswordFields';
import './auth.css';

export default function RegisterPage() {
  const { refresh } = useAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [teamName, setTeamName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [closed, setClosed] = useState<string | null>(null);
  const id = useId();
  const teamExists = useTeamExists();
  useEffect(() => {
    if (teamExists) setClosed('a team exists on this server; ask one of its admins for an invitation link');
  }, [teamExists]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, string> = { email: email.trim(), password, confirmPassword: confirm };
      if (teamName.trim()) body.teamName = teamName.trim();
      await post('/api/register/password', body);
      await refresh();
      navigate('/onboarding', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setClosed(err.message);
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (closed) {
    return (
      <div className="auth-page">
        <div className="card">
          <div className="auth-brand">otelstack</div>
          <h1>Registration is closed</h1>
          <p className="notice">The server says: {closed}.</p>
          <p>Only the first account is created here. Log in with your account, or ask an admin of the team for an invitation link.</p>
          <Link to="/login">Go to the login</Link>
        </div>
      </div>
    );
  }

  return (
    <div className="auth-page">
      <div className="card">
        <div className="auth-brand">otelstack</div>
        <h1>Create the first account</h1>
        <p className="muted">You become the admin of this server’s team and can invite others afterwards.</p>
        <form onSubmit={submit}>
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="email"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <label htmlFor={`${id}-team`}>
            Team name <span className="optional">(optional)</span>
          </label>
          <input id={`${id}-team`} value={teamName} onChange={(e) => setTeamName(e.target.value)} autoComplete="organization" />
          <PasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} />
          {error && (
            <div className="error-box" role="alert">
              {error}
            </div>
          )}
          <button type="submit" disabled={busy || !email.trim() || !passwordAcceptable(password, confirm)}>
            {busy ? 'Creating…' : 'Create account'}
          </button>
        </form>
        <div className="auth-footer">
          Already have an account? <Link to="/login">Log in</Link>
        </div>
      </div>
    </div>
  );
}

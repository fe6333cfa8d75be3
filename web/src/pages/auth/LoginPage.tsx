// /login: email and password. Shows the server's reason on failure (wrong
// email or password; too many failed attempts), goes to `?next=` (a path of
// this app) or /search afterwards.

import { useEffect, useId, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, post } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { useTeamExists } from '../../auth/installation';
import { errorText } from '../settings/common/errors';
import { safeNextPath } from './redirect';
import './auth.css';

function loginError(e: unknown): string {
  if (e instanceof ApiError && e.status === 401) return 'Wrong email or password.';
  if (e instanceof ApiError && e.status === 429) {
    const wait = e.retryAfterSeconds ? ` Try again in ${Math.ceil(e.retryAfterSeconds / 60)} minute(s).` : '';
    return `Too many failed logins: logins are paused after 5 failed attempts for an account (or 20 from one address) within 15 minutes.${wait}`;
  }
  return errorText(e);
}

export default function LoginPage() {
  const { me, refresh } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const teamExists = useTeamExists();

  // Already signed in (e.g. back button): go on. A new server has nobody to
  // sign in yet: registration first.
  useEffect(() => {
    if (me) navigate(next, { replace: true });
    else if (teamExists === false) navigate('/register', { replace: true });
  }, [me, next, navigate, teamExists]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/api/login/password', { email: email.trim(), password });
      await refresh();
      navigate(next, { replace: true });
    } catch (err) {
      setError(loginError(err));
      setBusy(false);
    }
  }

  return (
    <div className="auth-page">
      <div className="card">
        <div className="auth-brand">otelstack</div>
        <h1>Log in</h1>
        <form onSubmit={submit}>
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <label htmlFor={`${id}-pw`}>Password</label>
          <input
            id={`${id}-pw`}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {error && (
            <div className="error-box" role="alert">
              {error}
            </div>
          )}
          <button type="submit" disabled={busy || !email.trim() || !password}>
            {busy ? 'Logging in…' : 'Log in'}
          </button>
        </form>
        <div className="auth-footer">
          No account? Ask an admin of your team for an invitation link. Forgot your password? An operator can reset
          it with <code className="mono">otelstack users reset-password</code>.
        </div>
      </div>
    </div>
  );
}

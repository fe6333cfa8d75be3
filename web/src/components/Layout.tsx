// The frame around every signed-in page: navigation on the left, the page on
// the right, and the user menu (time zone, personal key, logout).
import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { setTimeZone, useTimeZone } from '../lib/timezone';

export default function Layout() {
  const { me, logout } = useAuth();
  const tz = useTimeZone();
  const navigate = useNavigate();
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">otelstack</div>
        <NavLink to="/search">Search</NavLink>
        <NavLink to="/chart">Chart explorer</NavLink>
        <NavLink to="/dashboards">Dashboards</NavLink>
        <NavLink to="/get-started">Send data</NavLink>
        <NavLink to="/settings">Team settings</NavLink>
        <div className="spacer" />
        <div className="user-menu">
          <div className="user-email" title={me?.user.email}>
            {me?.user.email} <span className="role">{me?.user.role}</span>
          </div>
          <label className="tz">
            Time zone
            <select value={tz} onChange={(e) => setTimeZone(e.target.value as 'local' | 'utc')}>
              <option value="local">Local</option>
              <option value="utc">UTC</option>
            </select>
          </label>
          <NavLink to="/settings/keys">Personal API key</NavLink>
          <button
            type="button"
            className="link"
            onClick={async () => {
              await logout();
              navigate('/login');
            }}
          >
            Log out
          </button>
        </div>
      </nav>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}

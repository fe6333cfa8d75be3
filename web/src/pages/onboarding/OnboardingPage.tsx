// /onboarding: the step after the first registration — where data is kept.
// The Embedded store (this server, nothing else to install) is preselected;
// an admin may also store a ClickHouse connection, which this version cannot
// query yet. Continue goes to /get-started.

import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { hasRole } from '../settings/common/roles';
import ClickHouseForm from '../settings/connections/ClickHouseForm';
import type { Connection } from '../settings/connections/connections';
import '../auth/auth.css';
import '../settings/settings.css';
import './onboarding.css';

type Choice = 'embedded' | 'clickhouse';

export default function OnboardingPage() {
  const { me } = useAuth();
  const navigate = useNavigate();
  const [choice, setChoice] = useState<Choice>('embedded');
  const [created, setCreated] = useState<Connection | null>(null);
  const isAdmin = hasRole(me?.user.role, 'admin');

  return (
    <div className="auth-page onboarding">
      <div className="card onboarding-card">
        <div className="auth-brand">otelstack</div>
        <h1>Where should your data live?</h1>
        <p className="muted">Welcome{me?.team.name ? ` to ${me.team.name}` : ''}. Choose the connection your sources read from.</p>

        <div className="choice-list" role="radiogroup" aria-label="Connection">
          <label className={`choice${choice === 'embedded' ? ' selected' : ''}`}>
            <input type="radio" name="connection" checked={choice === 'embedded'} onChange={() => setChoice('embedded')} />
            <span>
              <b>Embedded</b> <span className="badge badge-ok">recommended</span>
              <br />
              <span className="muted">Data is stored in this server: nothing else to install. The Logs, Traces and Metrics sources are ready.</span>
            </span>
          </label>
          {isAdmin && (
            <label className={`choice${choice === 'clickhouse' ? ' selected' : ''}`}>
              <input type="radio" name="connection" checked={choice === 'clickhouse'} onChange={() => setChoice('clickhouse')} />
              <span>
                <b>ClickHouse</b>
                <br />
                <span className="muted">An existing ClickHouse server with OpenTelemetry tables.</span>
              </span>
            </label>
          )}
        </div>

        {choice === 'clickhouse' && (
          <div className="onboarding-clickhouse">
            <p className="notice">
              Querying ClickHouse comes in a later version. You can save the connection now; searches keep using the
              Embedded store, where this server stores what it receives.
            </p>
            {created ? (
              <p className="test-ok" role="status">
                Connection “{created.name}” saved. You can edit it and add sources on it later in Team settings.
              </p>
            ) : (
              <ClickHouseForm onSaved={setCreated} />
            )}
          </div>
        )}

        <div className="form-buttons">
          <button type="button" onClick={() => navigate('/get-started')}>
            Continue
          </button>
        </div>
      </div>
    </div>
  );
}

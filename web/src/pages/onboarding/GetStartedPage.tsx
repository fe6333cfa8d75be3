// /get-started ("Send data"): how to point OpenTelemetry SDKs and collectors
// at this server — the OTLP endpoints on this host (ports and TLS as the
// server reports them, GET /api/ingest-endpoints), the `authorization`
// header with the ingestion key (admins can reveal and copy it; others are
// told to ask an admin), ready-to-paste environment variables and a test log.

import { Link } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import ErrorBox from '../settings/common/ErrorBox';
import { hasRole } from '../settings/common/roles';
import CopyButton from '../settings/common/CopyButton';
import CodeLine from './CodeLine';
import { envLines, testLogCommand } from './otlpSnippets';
import { useIngestEndpoints } from './useIngestEndpoints';
import { useIngestionKey } from './useIngestionKey';
import '../settings/settings.css';
import './onboarding.css';

export default function GetStartedPage() {
  const { me } = useAuth();
  const isAdmin = hasRole(me?.user.role, 'admin');
  const ingestion = useIngestionKey(isAdmin);
  const { endpoints, fromServer, error: endpointsError } = useIngestEndpoints(window.location.hostname);
  const lines = endpoints ? envLines(endpoints, ingestion.raw) : null;
  const allLines = lines ? [lines.endpoint, lines.protocol, lines.headers].join('\n') : '';
  const loadingEndpoints = <div className="loading">Loading this server’s OTLP listeners…</div>;

  return (
    <div className="get-started">
      <h1>Send data</h1>
      <p className="muted">
        Any OpenTelemetry SDK or collector can send logs, traces and metrics here over OTLP. Every request carries the
        team’s ingestion key in the <code className="mono">authorization</code> header.
      </p>

      <section className="card gs-step">
        <h2>1. Endpoints</h2>
        {endpoints ? (
          <>
            <CodeLine label="OTLP/HTTP" text={endpoints.http} />
            <CodeLine label="OTLP/gRPC" text={endpoints.grpc} />
          </>
        ) : (
          loadingEndpoints
        )}
        {endpoints && fromServer && (
          <p className="muted small">
            The ports this server listens on, at the host name you reached it by
            {endpoints.tls ? '; both listeners use TLS (https, and TLS for gRPC clients)' : ''}. Behind a proxy or a
            different network name, use the address your senders reach it by.
          </p>
        )}
        {endpoints && !fromServer && (
          <p className="muted small">
            The default ports on this server’s host name
            {endpointsError ? ` (the server did not report its listeners: ${endpointsError})` : ''}. If your operator
            changed the listeners (<code className="mono">--otlp-http-listen</code>,{' '}
            <code className="mono">--otlp-grpc-listen</code>) or enabled TLS, use those addresses (https with TLS).
          </p>
        )}
      </section>

      <section className="card gs-step">
        <h2>2. Ingestion key</h2>
        {!isAdmin && (
          <p className="notice">
            Only admins can see ingestion keys: ask an admin of your team for the key, then put it in the lines below.
          </p>
        )}
        {isAdmin && ingestion.loading && <div className="loading">Loading keys…</div>}
        <ErrorBox message={ingestion.error} />
        {isAdmin && !ingestion.loading && !ingestion.error && !ingestion.key && (
          <p className="notice">
            This team has no active ingestion key. <Link to="/settings/keys">Create one in Settings → API keys</Link>.
          </p>
        )}
        {isAdmin && ingestion.key && (
          <div className="gs-key">
            <span>
              Key <b>{ingestion.key.name}</b>
            </span>
            {ingestion.raw ? (
              <>
                <code className="mono gs-key-value">{ingestion.raw}</code>
                <CopyButton text={ingestion.raw} />
              </>
            ) : (
              <button type="button" onClick={() => void ingestion.reveal()} disabled={ingestion.revealing}>
                {ingestion.revealing ? 'Revealing…' : 'Reveal key'}
              </button>
            )}
            <span className="muted small">
              Reveals are recorded in the audit log. <Link to="/settings/keys">Manage keys</Link>
            </span>
          </div>
        )}
      </section>

      <section className="card gs-step">
        <h2>3. Configure your application</h2>
        <p className="muted small">Environment variables read by every OpenTelemetry SDK and the collector’s OTLP exporter:</p>
        {lines ? (
          <>
            <CodeLine text={lines.endpoint} />
            <CodeLine text={lines.protocol} />
            <CodeLine text={lines.headers} />
            <div className="gs-copy-all">
              <CopyButton text={allLines} label="Copy all three lines" />
            </div>
          </>
        ) : (
          loadingEndpoints
        )}
      </section>

      <section className="card gs-step">
        <h2>4. Send a test log</h2>
        <p className="muted small">From a shell that can reach this server; it should answer <code className="mono">{'{}'}</code>:</p>
        {endpoints ? <CodeLine text={testLogCommand(endpoints, ingestion.raw)} /> : loadingEndpoints}
      </section>

      <div className="form-buttons">
        <Link to="/search" className="button-link">
          Go to search
        </Link>
      </div>
    </div>
  );
}

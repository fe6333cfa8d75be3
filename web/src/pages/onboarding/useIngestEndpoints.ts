// Where this server's OTLP listeners are (GET /api/ingest-endpoints: the
// bound ports and whether they use TLS), as endpoints on the host name the
// page was loaded from. When the route fails (503: listeners not running, or
// an older server) the defaults are used and the error is kept to say so.

import { useApiData } from '../settings/common/useApiData';
import { otlpEndpoints, type IngestListeners, type OtlpEndpoints } from './otlpSnippets';

export interface IngestEndpointsState {
  endpoints: OtlpEndpoints | null; // null while loading
  fromServer: boolean; // false: the defaults, the server did not say
  error: string | null;
}

export function useIngestEndpoints(hostname: string): IngestEndpointsState {
  const listeners = useApiData<IngestListeners>('/api/ingest-endpoints');
  if (listeners.loading && !listeners.data) return { endpoints: null, fromServer: false, error: null };
  if (listeners.data) return { endpoints: otlpEndpoints(hostname, listeners.data), fromServer: true, error: null };
  return { endpoints: otlpEndpoints(hostname), fromServer: false, error: listeners.error };
}

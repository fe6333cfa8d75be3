// What a user pastes to send data here: the OTLP endpoints on this server's
// host name (the ports and TLS the server reports, else the defaults 4317
// gRPC and 4318 HTTP), the environment variables every OpenTelemetry SDK and
// the collector read, and a curl line that sends one test log.

export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
export const KEY_PLACEHOLDER = '<ingestion key>';

// An IPv6 literal needs brackets in a URL (browsers already give "[::1]").
export function urlHost(hostname: string): string {
  return hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
}

export interface OtlpEndpoints {
  grpc: string; // host:port, as gRPC clients take it
  http: string; // base URL; SDKs append /v1/logs, /v1/traces, /v1/metrics
  tls: boolean;
}

// GET /api/ingest-endpoints: where this server's OTLP listeners are.
export interface IngestListeners {
  otlpHttpPort: number;
  otlpGrpcPort: number;
  tls: boolean;
}

export const DEFAULT_LISTENERS: IngestListeners = { otlpHttpPort: OTLP_HTTP_PORT, otlpGrpcPort: OTLP_GRPC_PORT, tls: false };

export function otlpEndpoints(hostname: string, listeners: IngestListeners = DEFAULT_LISTENERS): OtlpEndpoints {
  const host = urlHost(hostname);
  const scheme = listeners.tls ? 'https' : 'http';
  return { grpc: `${host}:${listeners.otlpGrpcPort}`, http: `${scheme}://${host}:${listeners.otlpHttpPort}`, tls: listeners.tls };
}

export function envLines(endpoints: OtlpEndpoints, key: string | null) {
  const k = key ?? KEY_PLACEHOLDER;
  return {
    endpoint: `export OTEL_EXPORTER_OTLP_ENDPOINT=${endpoints.http}`,
    protocol: 'export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
    headers: `export OTEL_EXPORTER_OTLP_HEADERS="authorization=${k}"`,
  };
}

// A shell line that sends one log record over OTLP/HTTP JSON.
export function testLogCommand(endpoints: OtlpEndpoints, key: string | null): string {
  const body = JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'otelstack-test' } }] },
        scopeLogs: [{ logRecords: [{ severityText: 'INFO', body: { stringValue: 'hello from otelstack get-started' } }] }],
      },
    ],
  });
  return `curl -X POST ${endpoints.http}/v1/logs -H 'content-type: application/json' -H 'authorization: ${key ?? KEY_PLACEHOLDER}' -d '${body}'`;
}

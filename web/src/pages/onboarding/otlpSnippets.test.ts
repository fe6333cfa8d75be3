import { describe, expect, it } from 'vitest';
import { envLines, otlpEndpoints, testLogCommand } from './otlpSnippets';

describe('otlpEndpoints', () => {
  it('uses the page host with the OTLP ports', () => {
    expect(otlpEndpoints('obs.example.com')).toEqual({ grpc: 'obs.example.com:4317', http: 'http://obs.example.com:4318', tls: false });
  });
  it('uses the ports the server reports, https with TLS', () => {
    expect(otlpEndpoints('obs.example.com', { otlpHttpPort: 14318, otlpGrpcPort: 14317, tls: false })).toEqual({
      grpc: 'obs.example.com:14317',
      http: 'http://obs.example.com:14318',
      tls: false,
    });
    const tls = otlpEndpoints('obs.example.com', { otlpHttpPort: 443, otlpGrpcPort: 4317, tls: true });
    expect(tls.http).toBe('https://obs.example.com:443');
    expect(tls.grpc).toBe('obs.example.com:4317');
  });
  it('brackets IPv6 literals once', () => {
    expect(otlpEndpoints('::1').http).toBe('http://[::1]:4318');
    expect(otlpEndpoints('[::1]').grpc).toBe('[::1]:4317');
  });
});

describe('envLines', () => {
  it('puts the key in the headers line', () => {
    const lines = envLines(otlpEndpoints('localhost'), 'abc123');
    expect(lines.endpoint).toBe('export OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318');
    expect(lines.headers).toBe('export OTEL_EXPORTER_OTLP_HEADERS="authorization=abc123"');
  });
  it('says where the key goes when it is not shown', () => {
    expect(envLines(otlpEndpoints('localhost'), null).headers).toContain('authorization=<ingestion key>');
  });
});

describe('testLogCommand', () => {
  it('posts valid OTLP JSON to /v1/logs', () => {
    const cmd = testLogCommand(otlpEndpoints('localhost'), 'k');
    expect(cmd).toContain('http://localhost:4318/v1/logs');
    expect(cmd).toContain("-H 'authorization: k'");
    const json = cmd.slice(cmd.indexOf("-d '") + 4, -1);
    expect(JSON.parse(json).resourceLogs[0].scopeLogs[0].logRecords[0].body.stringValue).toContain('hello');
  });
});

// OTLP/HTTP listener (Boost.Beast): POST /v1/logs, /v1/traces, /v1/metrics.
//
// Per request: content type (protobuf or JSON, else 415), ingestion key
// (401), optional gzip body (bounded: 413 past the limit), then
// IngestService::Export; the response uses the request's content type.
// Status mapping follows the OTLP specification: 200 (+ partial_success),
// 400 with a google.rpc.Status body for malformed data, 503 with
// Retry-After when the store cannot keep up.
//
// Served by http::HttpServer (three asynchronous routes; unknown paths are a
// plain-text 404, other methods a plain-text 405, oversized bodies 413 with a
// google.rpc.Status). Connections are kept alive; Stop() closes the acceptor,
// lets requests in flight finish and closes idle connections.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/ingest_service.h"
#include "server/listen_address.h"
#include "server/tls.h"

namespace otelstack::server {

class OtlpHttpServer {
 public:
  OtlpHttpServer(ingest::IngestService* ingest, TlsOptions tls, int threads);
  ~OtlpHttpServer();

  // Binds and starts serving; returns the bound address (port resolved).
  StatusOr<ListenAddress> Start(const ListenAddress& address);
  // Re-reads the certificate files (see http::HttpServer::ReloadTls).
  Status ReloadTls();
  // Stops accepting, waits for in-flight requests, closes connections.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace otelstack::server

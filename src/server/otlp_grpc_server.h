// OTLP/gRPC listener: the three collector services' Export methods
//   /opentelemetry.proto.collector.{logs,trace,metrics}.v1.*Service/Export
// served through gRPC's generic callback API, so request bytes go straight to
// our own protobuf decoder (no generated message classes). gzip-compressed
// messages are inflated by gRPC. The `authorization` metadata carries the
// ingestion key (UNAUTHENTICATED otherwise); a busy store answers
// UNAVAILABLE, which OTLP clients retry.
//
// TLS (TlsOptions): TLS 1.2+ with gRPC's AEAD cipher suites; with a client
// CA, clients must present a certificate chaining to it (mTLS). gRPC watches
// the certificate files and picks up replaced ones within
// kCertificateRefreshSeconds, without touching established connections
// (gRPC offers no way to trigger this from SIGHUP).
#pragma once

#include <memory>

#include "common/status.h"
#include "ingest/ingest_service.h"
#include "server/listen_address.h"
#include "server/tls.h"

namespace otelstack::server {

class OtlpGrpcServer {
 public:
  static constexpr unsigned kCertificateRefreshSeconds = 2;

  OtlpGrpcServer(ingest::IngestService* ingest, TlsOptions tls);
  ~OtlpGrpcServer();

  StatusOr<ListenAddress> Start(const ListenAddress& address);
  // Stops accepting and waits for in-flight RPCs (bounded by a deadline).
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace otelstack::server

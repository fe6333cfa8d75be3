#include "server/otlp_grpc_server.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <spdlog/spdlog.h>

#include <atomic>

#include "http/tls_context.h"
#include "otlp/decode.h"

namespace otelstack::server {

namespace {

std::optional<Signal> SignalForMethod(const std::string& method) {
  if (method == "/opentelemetry.proto.collector.logs.v1.LogsService/Export") return Signal::kLogs;
  if (method == "/opentelemetry.proto.collector.trace.v1.TraceService/Export") return Signal::kTraces;
  if (method == "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export") return Signal::kMetrics;
  return std::nullopt;
}

grpc::StatusCode GrpcCode(Status::Code code) {
  switch (code) {
    case Status::Code::kInvalidArgument:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case Status::Code::kUnauthenticated:
      return grpc::StatusCode::UNAUTHENTICATED;
    case Status::Code::kResourceExhausted:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case Status::Code::kUnavailable:
      return grpc::StatusCode::UNAVAILABLE;
    case Status::Code::kPermissionDenied:
      return grpc::StatusCode::PERMISSION_DENIED;
    default:
      return grpc::StatusCode::INTERNAL;
  }
}

// One Export call: read the single request message, export it, write the
// response and finish. Deletes itself in OnDone.
class ExportReactor : public grpc::ServerGenericBidiReactor {
 public:
  ExportReactor(grpc::GenericCallbackServerContext* ctx, ingest::IngestService* ingest) : ingest_(ingest) {
    auto signal = SignalForMethod(ctx->method());
    if (!signal) {
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "unknown method " + ctx->method()));
      return;
    }
    signal_ = *signal;
    std::optional<std::string_view> auth;
    const auto& md = ctx->client_metadata();
    auto it = md.find("authorization");
    if (it != md.end()) auth = std::string_view(it->second.data(), it->second.size());
    Status s = ingest_->Authenticate(auth);
    if (!s.ok()) {
      Finish(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, s.message()));
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request message"));
      return;
    }
    std::vector<grpc::Slice> slices;
    grpc::Status dumped = request_.Dump(&slices);
    if (!dumped.ok()) {
      Finish(dumped);
      return;
    }
    // Shared with the store, which logs the body from here (no copy).
    auto body = std::make_shared<std::string>();
    for (const auto& slice : slices) body->append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    request_.Clear();
    const std::string_view body_bytes = *body;
    ingest_->Export(
        otlp::Encoding::kProtobuf, signal_, body_bytes,
        [this](ingest::ExportResult result) {
          if (!result.status.ok()) {
            Finish(grpc::Status(GrpcCode(result.status.code()), result.status.message()));
            return;
          }
          std::string bytes =
              otlp::EncodeExportResponse(signal_, otlp::Encoding::kProtobuf, result.rejected, result.rejection_message);
          grpc::Slice slice(bytes);
          response_ = grpc::ByteBuffer(&slice, 1);
          StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
        },
        std::move(body));
  }

  void OnDone() override { delete this; }

 private:
  ingest::IngestService* ingest_;
  Signal signal_ = Signal::kLogs;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

class ExportService : public grpc::CallbackGenericService {
 public:
  explicit ExportService(ingest::IngestService* ingest) : ingest_(ingest) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    return new ExportReactor(ctx, ingest_);
  }

 private:
  ingest::IngestService* ingest_;
};

// gRPC re-reads the certificate files itself every kCertificateRefreshSeconds
// (FileWatcherCertificateProvider); established connections are unaffected.
grpc::experimental::TlsServerCredentialsOptions TlsCredentialsOptions(const TlsOptions& tls) {
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      tls.key_file, tls.cert_file, tls.client_ca_file, OtlpGrpcServer::kCertificateRefreshSeconds);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (tls.requires_client_certificate()) {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  } else {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  }
  return options;
}

}  // namespace

class OtlpGrpcServer::Impl {
 public:
  Impl(ingest::IngestService* ingest, TlsOptions tls) : service_(ingest), tls_(std::move(tls)) {}

  StatusOr<ListenAddress> Start(const ListenAddress& address) {
    std::shared_ptr<grpc::ServerCredentials> creds;
    if (tls_.enabled()) {
      // gRPC has its own TLS stack; validating the files with ours first
      // turns a bad certificate into a startup error instead of failed
      // handshakes.
      auto validated = http::MakeServerTlsContext(tls_);
      if (!validated.ok()) return validated.status().WithContext("OTLP/gRPC");
      creds = grpc::experimental::TlsServerCredentials(TlsCredentialsOptions(tls_));
    } else {
      creds = grpc::InsecureServerCredentials();
    }
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort(address.ToString(), creds, &port);
    builder.RegisterCallbackGenericService(&service_);
    builder.SetMaxReceiveMessageSize(64 << 20);
    server_ = builder.BuildAndStart();
    if (!server_ || port == 0) return Status::IOError("OTLP/gRPC listen on " + address.ToString() + " failed");
    ListenAddress bound = address;
    bound.port = static_cast<uint16_t>(port);
    return bound;
  }

  void Stop() {
    if (server_ && !stopped_.exchange(true)) {
      server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
      server_->Wait();
    }
  }

 private:
  ExportService service_;
  TlsOptions tls_;
  std::unique_ptr<grpc::Server> server_;
  std::atomic<bool> stopped_{false};
};

OtlpGrpcServer::OtlpGrpcServer(ingest::IngestService* ingest, TlsOptions tls)
    : impl_(std::make_unique<Impl>(ingest, std::move(tls))) {}
OtlpGrpcServer::~OtlpGrpcServer() { Stop(); }
StatusOr<ListenAddress> OtlpGrpcServer::Start(const ListenAddress& address) { return impl_->Start(address); }
void OtlpGrpcServer::Stop() { impl_->Stop(); }

}  // namespace otelstack::server

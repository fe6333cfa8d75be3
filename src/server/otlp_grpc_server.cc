#include "server/otlp_grpc_server.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/security/server_credentials.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <fstream>
#include <sstream>

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
    case Status::Code::kInvalidArgument: return grpc::StatusCode::INVALID_ARGUMENT;
    case Status::Code::kUnauthenticated: return grpc::StatusCode::UNAUTHENTICATED;
    case Status::Code::kResourceExhausted: return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case Status::Code::kUnavailable: return grpc::StatusCode::UNAVAILABLE;
    case Status::Code::kPermissionDenied: return grpc::StatusCode::PERMISSION_DENIED;
    default: return grpc::StatusCode::INTERNAL;
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
    for (const auto& slice : slices) body_.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    request_.Clear();
    ingest_->Export(otlp::Encoding::kProtobuf, signal_, body_, [this](ingest::ExportResult result) {
      body_.clear();
      if (!result.status.ok()) {
        Finish(grpc::Status(GrpcCode(result.status.code()), result.status.message()));
        return;
      }
      std::string bytes =
          otlp::EncodeExportResponse(signal_, otlp::Encoding::kProtobuf, result.rejected, result.rejection_message);
      grpc::Slice slice(bytes);
      response_ = grpc::ByteBuffer(&slice, 1);
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    });
  }

  void OnDone() override { delete this; }

 private:
  ingest::IngestService* ingest_;
  Signal signal_ = Signal::kLogs;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::string body_;
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

StatusOr<std::string> ReadPem(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

class OtlpGrpcServer::Impl {
 public:
  Impl(ingest::IngestService* ingest, TlsOptions tls) : service_(ingest), tls_(std::move(tls)) {}

  StatusOr<ListenAddress> Start(const ListenAddress& address) {
    std::shared_ptr<grpc::ServerCredentials> creds;
    if (tls_.enabled()) {
      auto cert = ReadPem(tls_.cert_file);
      if (!cert.ok()) return cert.status().WithContext("TLS certificate");
      auto key = ReadPem(tls_.key_file);
      if (!key.ok()) return key.status().WithContext("TLS key");
      grpc::SslServerCredentialsOptions options;
      options.pem_key_cert_pairs.push_back({*key, *cert});
      creds = grpc::SslServerCredentials(options);
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

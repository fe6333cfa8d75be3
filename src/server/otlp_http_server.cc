#include "server/otlp_http_server.h"

#include <cctype>
#include <optional>
#include <string_view>
#include <utility>

#include "http/server.h"
#include "ingest/gunzip.h"
#include "otlp/decode.h"

namespace otelstack::server {

namespace {

// google.rpc.Code values used in error bodies.
int RpcCode(Status::Code code) {
  switch (code) {
    case Status::Code::kInvalidArgument:
      return 3;
    case Status::Code::kUnauthenticated:
      return 16;
    case Status::Code::kResourceExhausted:
      return 8;
    case Status::Code::kUnavailable:
      return 14;
    case Status::Code::kPermissionDenied:
      return 7;
    default:
      return 13;
  }
}

unsigned HttpStatus(Status::Code code) {
  switch (code) {
    case Status::Code::kInvalidArgument:
      return 400;
    case Status::Code::kUnauthenticated:
      return 401;
    case Status::Code::kResourceExhausted:
      return 413;
    case Status::Code::kUnavailable:
      return 503;
    case Status::Code::kPermissionDenied:
      return 403;
    default:
      return 500;
  }
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::optional<otlp::Encoding> EncodingFor(std::string_view content_type) {
  size_t semi = content_type.find(';');
  if (semi != std::string_view::npos) content_type = content_type.substr(0, semi);
  while (!content_type.empty() && content_type.back() == ' ') content_type.remove_suffix(1);
  if (EqualsIgnoreCase(content_type, "application/x-protobuf")) return otlp::Encoding::kProtobuf;
  if (EqualsIgnoreCase(content_type, "application/json")) return otlp::Encoding::kJson;
  return std::nullopt;
}

std::string_view ContentType(otlp::Encoding encoding) {
  return encoding == otlp::Encoding::kJson ? "application/json" : "application/x-protobuf";
}

http::Response Text(unsigned status, std::string text) {
  http::Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(text);
  return response;
}

http::Response RpcError(const Status& s, otlp::Encoding encoding) {
  http::Response response;
  response.status = HttpStatus(s.code());
  response.content_type = ContentType(encoding);
  response.body = otlp::EncodeRpcStatus(encoding, RpcCode(s.code()), s.message());
  if (s.code() == Status::Code::kUnavailable) response.headers.emplace_back("Retry-After", "1");
  return response;
}

// The responses HttpServer generates itself, in the listener's historical
// format: plain text for unknown paths and methods, a JSON google.rpc.Status
// otherwise (413 for an oversized body, 400 for malformed HTTP).
http::Response OtlpServerError(unsigned status, std::string_view message) {
  if (status == 404) return Text(404, "not found: use POST /v1/logs, /v1/traces or /v1/metrics");
  if (status == 405) return Text(405, "use POST");
  Status::Code code = status == 413   ? Status::Code::kResourceExhausted
                      : status == 503 ? Status::Code::kUnavailable
                      : status < 500  ? Status::Code::kInvalidArgument
                                      : Status::Code::kInternal;
  if (status == 413) message = "request body exceeds the size limit";
  http::Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = otlp::EncodeRpcStatus(otlp::Encoding::kJson, RpcCode(code), message);
  return response;
}

// POST /v1/<signal>: content type (415), key (401), Content-Encoding (gzip
// inflated within the body limit: 413), then the export, answered when the
// store has made the rows durable.
void HandleExport(ingest::IngestService* ingest, Signal signal, http::Request& request, http::Responder respond) {
  auto encoding = EncodingFor(request.Header("content-type").value_or(""));
  if (!encoding) {
    ingest->CountRejected(ingest::RejectReason::kUnsupportedEncoding);
    return respond(Text(415, "unsupported content type: use application/x-protobuf or application/json"));
  }
  Status s = ingest->Authenticate(request.Header("authorization"));
  if (!s.ok()) return respond(RpcError(s, *encoding));

  // Shared with the store, which logs the body from here (no copy).
  auto body = std::make_shared<std::string>(std::move(request.body));
  std::string_view content_encoding = request.Header("content-encoding").value_or("");
  if (EqualsIgnoreCase(content_encoding, "gzip") || EqualsIgnoreCase(content_encoding, "deflate")) {
    auto inflated = std::make_shared<std::string>();
    s = ingest::GunzipBounded(*body, ingest->options().max_body_bytes, inflated.get());
    if (!s.ok()) {
      ingest->CountRejected(s.code() == Status::Code::kResourceExhausted ? ingest::RejectReason::kTooLarge
                                                                         : ingest::RejectReason::kInvalid);
      return respond(RpcError(s, *encoding));
    }
    body = std::move(inflated);
  } else if (!content_encoding.empty() && !EqualsIgnoreCase(content_encoding, "identity")) {
    ingest->CountRejected(ingest::RejectReason::kUnsupportedEncoding);
    return respond(Text(415, "unsupported content encoding: use gzip or identity"));
  }
  const std::string_view body_bytes = *body;
  ingest->Export(
      *encoding, signal, body_bytes,
      [signal, encoding = *encoding, respond = std::move(respond)](ingest::ExportResult result) {
        if (!result.status.ok()) return respond(RpcError(result.status, encoding));
        http::Response response;
        response.content_type = ContentType(encoding);
        response.body = otlp::EncodeExportResponse(signal, encoding, result.rejected, result.rejection_message);
        respond(std::move(response));
      },
      std::move(body));
}

}  // namespace

class OtlpHttpServer::Impl {
 public:
  Impl(ingest::IngestService* ingest, TlsOptions tls, int threads)
      : server_(Options(ingest, tls, threads), Routes(ingest)) {}

  http::HttpServer& server() { return server_; }

 private:
  static http::ServerOptions Options(ingest::IngestService* ingest, TlsOptions tls, int threads) {
    http::ServerOptions options;
    options.name = "otlp-http";
    options.io_threads = threads;
    options.worker_threads = 0;  // every route is asynchronous
    options.tls = std::move(tls);
    options.max_body_bytes = ingest->options().max_body_bytes;
    // Exporters send large batches over slow links: allow as long for the
    // whole request as the listener always has.
    options.read_timeout = std::chrono::seconds(120);
    options.error_response = [ingest](unsigned status, std::string_view message) {
      if (status == 413) ingest->CountRejected(ingest::RejectReason::kTooLarge);
      return OtlpServerError(status, message);
    };
    return options;
  }

  static http::Router Routes(ingest::IngestService* ingest) {
    http::Router router;
    for (auto [path, signal] : {std::pair{"/v1/logs", Signal::kLogs}, std::pair{"/v1/traces", Signal::kTraces},
                                std::pair{"/v1/metrics", Signal::kMetrics}}) {
      router.AddAsync(http::Method::kPost, path, [ingest, signal](http::Request& request, http::Responder respond) {
        HandleExport(ingest, signal, request, std::move(respond));
      });
    }
    return router;
  }

  http::HttpServer server_;
};

OtlpHttpServer::OtlpHttpServer(ingest::IngestService* ingest, TlsOptions tls, int threads)
    : impl_(std::make_unique<Impl>(ingest, std::move(tls), threads)) {}
OtlpHttpServer::~OtlpHttpServer() { Stop(); }
StatusOr<ListenAddress> OtlpHttpServer::Start(const ListenAddress& address) { return impl_->server().Start(address); }
Status OtlpHttpServer::ReloadTls() { return impl_->server().ReloadTls(); }
void OtlpHttpServer::Stop() { impl_->server().Stop(); }

}  // namespace otelstack::server

#include "server/otlp_http_server.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "ingest/gunzip.h"
#include "otlp/decode.h"

namespace otelstack::server {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(120);
constexpr size_t kReadBufferBytes = 64 * 1024;

// google.rpc.Code values used in error bodies.
int RpcCode(Status::Code code) {
  switch (code) {
    case Status::Code::kInvalidArgument: return 3;
    case Status::Code::kUnauthenticated: return 16;
    case Status::Code::kResourceExhausted: return 8;
    case Status::Code::kUnavailable: return 14;
    case Status::Code::kPermissionDenied: return 7;
    default: return 13;
  }
}

http::status HttpStatus(Status::Code code) {
  switch (code) {
    case Status::Code::kInvalidArgument: return http::status::bad_request;
    case Status::Code::kUnauthenticated: return http::status::unauthorized;
    case Status::Code::kResourceExhausted: return http::status::payload_too_large;
    case Status::Code::kUnavailable: return http::status::service_unavailable;
    case Status::Code::kPermissionDenied: return http::status::forbidden;
    default: return http::status::internal_server_error;
  }
}

std::optional<Signal> SignalForPath(beast::string_view target) {
  size_t q = target.find('?');
  if (q != beast::string_view::npos) target = target.substr(0, q);
  if (target == "/v1/logs") return Signal::kLogs;
  if (target == "/v1/traces") return Signal::kTraces;
  if (target == "/v1/metrics") return Signal::kMetrics;
  return std::nullopt;
}

std::optional<otlp::Encoding> EncodingFor(beast::string_view content_type) {
  size_t semi = content_type.find(';');
  if (semi != beast::string_view::npos) content_type = content_type.substr(0, semi);
  while (!content_type.empty() && content_type.back() == ' ') content_type.remove_suffix(1);
  if (beast::iequals(content_type, "application/x-protobuf")) return otlp::Encoding::kProtobuf;
  if (beast::iequals(content_type, "application/json")) return otlp::Encoding::kJson;
  return std::nullopt;
}

// Connections register here so Stop() can close idle ones.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void Shutdown() = 0;  // thread-safe: posts to the session's executor
};

struct Registry {
  std::mutex mu;
  std::set<std::weak_ptr<SessionBase>, std::owner_less<std::weak_ptr<SessionBase>>> sessions;
  std::atomic<bool> stopping{false};
  size_t purge_at = 64;

  // REQUIRES: mu held. Drops entries of closed connections now and then.
  void Add(const std::shared_ptr<SessionBase>& session) {
    sessions.insert(session);
    if (sessions.size() >= purge_at) {
      std::erase_if(sessions, [](const auto& weak) { return weak.expired(); });
      purge_at = std::max<size_t>(64, sessions.size() * 2);
    }
  }
};

// One connection. Stream is beast::tcp_stream or ssl_stream<tcp_stream>.
template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, ingest::IngestService* ingest, Registry* registry)
      : stream_(std::move(stream)), ingest_(ingest), registry_(registry) {
    // Beast sizes each socket read by the buffer's free capacity (at least
    // 512 bytes): without room up front a 300 KB body takes ~600 reads.
    buffer_.reserve(kReadBufferBytes);
  }

  void Run() {
    {
      std::lock_guard<std::mutex> lk(registry_->mu);
      registry_->Add(this->shared_from_this());
    }
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->ReadRequest(); });
    } else {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) {
          spdlog::debug("otlp/http: TLS handshake failed: {}", ec.message());
          return self->Close();
        }
        self->ReadRequest();
      });
    }
  }

  void Shutdown() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (!self->busy_) self->Close();
    });
  }

 private:
  void ReadRequest() {
    if (registry_->stopping) return Close();
    parser_.emplace();
    parser_->body_limit(ingest_->options().max_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
    busy_ = false;
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    busy_ = true;
    if (ec == http::error::body_limit) {
      return Reply(http::status::payload_too_large, otlp::Encoding::kJson,
                   otlp::EncodeRpcStatus(otlp::Encoding::kJson, 8, "request body exceeds the size limit"), false);
    }
    if (ec) return Close();  // client closed, timeout, or garbage
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    Handle(req);
  }

  void Handle(http::request<http::string_body>& req) {
    auto signal = SignalForPath(req.target());
    if (!signal) return ReplyText(http::status::not_found, "not found: use POST /v1/logs, /v1/traces or /v1/metrics");
    if (req.method() != http::verb::post) return ReplyText(http::status::method_not_allowed, "use POST");
    auto encoding = EncodingFor(req[http::field::content_type]);
    if (!encoding) {
      return ReplyText(http::status::unsupported_media_type,
                       "unsupported content type: use application/x-protobuf or application/json");
    }
    auto auth_header = req.find(http::field::authorization);
    std::optional<std::string_view> auth;
    if (auth_header != req.end()) auth = std::string_view(auth_header->value().data(), auth_header->value().size());
    Status s = ingest_->Authenticate(auth);
    if (!s.ok()) return ReplyError(s, *encoding);

    body_ = std::move(req.body());
    beast::string_view content_encoding = req[http::field::content_encoding];
    if (beast::iequals(content_encoding, "gzip") || beast::iequals(content_encoding, "deflate")) {
      std::string inflated;
      s = ingest::GunzipBounded(body_, ingest_->options().max_body_bytes, &inflated);
      if (!s.ok()) return ReplyError(s, *encoding);
      body_ = std::move(inflated);
    } else if (!content_encoding.empty() && !beast::iequals(content_encoding, "identity")) {
      return ReplyText(http::status::unsupported_media_type, "unsupported content encoding: use gzip or identity");
    }
    auto self = this->shared_from_this();
    // The work guard keeps the io_context running until the store answers.
    auto work = net::make_work_guard(stream_.get_executor());
    ingest_->Export(*encoding, *signal, body_, [self, signal, encoding, work](ingest::ExportResult result) {
      net::post(self->stream_.get_executor(), [self, signal, encoding, work, result = std::move(result)] {
        if (!result.status.ok()) return self->ReplyError(result.status, *encoding);
        self->Reply(http::status::ok, *encoding,
                    otlp::EncodeExportResponse(*signal, *encoding, result.rejected, result.rejection_message),
                    self->keep_alive_);
      });
    });
  }

  void ReplyError(const Status& s, otlp::Encoding encoding) {
    Reply(HttpStatus(s.code()), encoding, otlp::EncodeRpcStatus(encoding, RpcCode(s.code()), s.message()),
          keep_alive_, s.code() == Status::Code::kUnavailable);
  }

  void ReplyText(http::status status, std::string text) {
    auto res = std::make_shared<http::response<http::string_body>>(status, 11);
    res->set(http::field::content_type, "text/plain; charset=utf-8");
    res->body() = std::move(text);
    Send(res, keep_alive_);
  }

  void Reply(http::status status, otlp::Encoding encoding, std::string body, bool keep_alive,
             bool retry_after = false) {
    auto res = std::make_shared<http::response<http::string_body>>(status, 11);
    res->set(http::field::content_type,
             encoding == otlp::Encoding::kJson ? "application/json" : "application/x-protobuf");
    if (retry_after) res->set(http::field::retry_after, "1");
    res->body() = std::move(body);
    Send(res, keep_alive);
  }

  void Send(std::shared_ptr<http::response<http::string_body>> res, bool keep_alive) {
    keep_alive = keep_alive && !registry_->stopping;
    res->keep_alive(keep_alive);
    res->prepare_payload();
    body_.clear();
    body_.shrink_to_fit();
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(60));
    http::async_write(stream_, *res,
                      [self = this->shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
                        if (ec || !keep_alive) return self->Close();
                        self->ReadRequest();
                      });
  }

  void Close() {
    busy_ = false;
    beast::error_code ec;
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.close();
    } else {
      beast::get_lowest_layer(stream_).close();
    }
  }

  Stream stream_;
  ingest::IngestService* ingest_;
  Registry* registry_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string body_;
  bool keep_alive_ = true;
  bool busy_ = false;
};

}  // namespace

class OtlpHttpServer::Impl {
 public:
  Impl(ingest::IngestService* ingest, TlsOptions tls, int threads)
      : ingest_(ingest), tls_(std::move(tls)), threads_(threads), ioc_(threads), acceptor_(ioc_) {}

  StatusOr<ListenAddress> Start(const ListenAddress& address) {
    if (tls_.enabled()) {
      ssl_ctx_.emplace(ssl::context::tls_server);
      beast::error_code ec;
      ssl_ctx_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                            ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
      ssl_ctx_->use_certificate_chain_file(tls_.cert_file, ec);
      if (ec) return Status::InvalidArgument("TLS certificate " + tls_.cert_file + ": " + ec.message());
      ssl_ctx_->use_private_key_file(tls_.key_file, ssl::context::pem, ec);
      if (ec) return Status::InvalidArgument("TLS key " + tls_.key_file + ": " + ec.message());
    }
    beast::error_code ec;
    auto ip = net::ip::make_address(address.host, ec);
    if (ec) return Status::InvalidArgument("listen host '" + address.host + "' is not an IP address");
    tcp::endpoint endpoint(ip, address.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return Status::IOError("OTLP/HTTP listen on " + address.ToString() + ": " + ec.message());
    ListenAddress bound = address;
    bound.port = acceptor_.local_endpoint().port();
    Accept();
    for (int i = 0; i < threads_; ++i) {
      workers_.emplace_back([this] {
        pthread_setname_np(pthread_self(), "otlp-http");
        ioc_.run();
      });
    }
    return bound;
  }

  void Stop() {
    if (stopped_.exchange(true)) return;
    registry_.stopping = true;
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
    {
      std::lock_guard<std::mutex> lk(registry_.mu);
      for (auto& weak : registry_.sessions) {
        if (auto s = weak.lock()) s->Shutdown();
      }
    }
    // io_context::run returns once the last session has finished its
    // in-flight request and closed.
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor_.is_open()) return;
        spdlog::warn("otlp/http: accept failed: {}", ec.message());
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        if (ssl_ctx_) {
          std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
              beast::ssl_stream<beast::tcp_stream>(std::move(socket), *ssl_ctx_), ingest_, &registry_)
              ->Run();
        } else {
          std::make_shared<Session<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), ingest_, &registry_)
              ->Run();
        }
      }
      if (!registry_.stopping) Accept();
    });
  }

  ingest::IngestService* ingest_;
  TlsOptions tls_;
  int threads_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  std::optional<ssl::context> ssl_ctx_;
  Registry registry_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stopped_{false};
};

OtlpHttpServer::OtlpHttpServer(ingest::IngestService* ingest, TlsOptions tls, int threads)
    : impl_(std::make_unique<Impl>(ingest, std::move(tls), threads)) {}
OtlpHttpServer::~OtlpHttpServer() { Stop(); }
StatusOr<ListenAddress> OtlpHttpServer::Start(const ListenAddress& address) { return impl_->Start(address); }
void OtlpHttpServer::Stop() { impl_->Stop(); }

}  // namespace otelstack::server

#include "http/server.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <exception>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <type_traits>
#include <variant>
#include <vector>

#include "http/append_string_body.h"
#include "http/tls_context.h"
#include "http/url.h"
#include "http/worker_pool.h"

namespace otelstack::http {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

// Beast sizes each socket read by the buffer's free capacity (at least 512
// bytes): without room up front a 300 KB body takes ~600 reads.
constexpr size_t kReadBufferBytes = 64 * 1024;
// While a handler runs, bytes the client sends (a pipelined request) are kept
// for the next parse; past this much buffered, the server stops reading (and
// so stops noticing a disconnection) until the response is written.
constexpr size_t kMaxBufferedWhileHandling = 256 * 1024;
constexpr size_t kWatchReadBytes = 4096;

Method ToMethod(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get:
      return Method::kGet;
    case bhttp::verb::head:
      return Method::kHead;
    case bhttp::verb::post:
      return Method::kPost;
    case bhttp::verb::put:
      return Method::kPut;
    case bhttp::verb::patch:
      return Method::kPatch;
    case bhttp::verb::delete_:
      return Method::kDelete;
    case bhttp::verb::options:
      return Method::kOptions;
    default:
      return Method::kOther;
  }
}

bool HasHeader(const Response& response, std::string_view name) {
  for (const auto& header : response.headers) {
    if (beast::iequals(header.first, beast::string_view(name.data(), name.size()))) return true;
  }
  return false;
}

// Errors that mean "the bytes received are not HTTP" (answered 400), as
// opposed to the connection ending or timing out (closed silently).
bool IsMalformedRequest(const beast::error_code& ec) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_target).category()) return false;
  return ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  // Both thread-safe: they post to the connection's strand.
  virtual void Shutdown() = 0;                  // close now unless a request is being handled
  virtual void Deliver(Response response) = 0;  // the handler's response
};

using WorkGuard = net::executor_work_guard<net::io_context::executor_type>;

// State every connection shares with the server. Outlives the connections:
// Stop() joins the I/O threads only once all of them are gone.
struct Shared {
  Shared(ServerOptions opts, Router r) : options(std::move(opts)), router(std::move(r)) {}

  ServerOptions options;
  Router router;
  net::io_context ioc;
  std::unique_ptr<WorkerPool> workers;  // null when the router has no blocking route
  std::atomic<bool> stopping{false};

  std::mutex mu;
  std::set<std::weak_ptr<ConnectionBase>, std::owner_less<std::weak_ptr<ConnectionBase>>> connections;  // mu
  size_t purge_at = 64;                                                                                 // mu

  void Register(const std::shared_ptr<ConnectionBase>& connection) {
    std::lock_guard<std::mutex> lk(mu);
    connections.insert(connection);
    // Closed connections leave expired entries; drop them now and then.
    if (connections.size() >= purge_at) {
      std::erase_if(connections, [](const auto& weak) { return weak.expired(); });
      purge_at = std::max<size_t>(64, connections.size() * 2);
    }
  }
};

// Behind an AsyncHandler's Responder: forwards the first response, and a 500
// if the handler dropped every copy of the Responder without responding.
// Keeps the I/O threads running until then.
class ResponderState {
 public:
  ResponderState(std::shared_ptr<ConnectionBase> connection, Shared* shared)
      : connection_(std::move(connection)), shared_(shared), work_(shared->ioc.get_executor()) {}
  ~ResponderState() {
    if (!done_.exchange(true))
      connection_->Deliver(shared_->options.error_response(500, "the handler did not respond"));
  }
  void Respond(Response response) {
    if (done_.exchange(true)) return;  // "exactly once": later calls are ignored
    connection_->Deliver(std::move(response));
  }

 private:
  std::shared_ptr<ConnectionBase> connection_;
  Shared* shared_;
  WorkGuard work_;
  std::atomic<bool> done_{false};
};

// One connection; Stream is beast::tcp_stream or ssl_stream<tcp_stream>.
// Every member is touched only on the connection's strand.
template <class Stream>
class Connection : public ConnectionBase, public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kSecure = !std::is_same_v<Stream, beast::tcp_stream>;

  // `tls_context` (null for plaintext) is the context `stream` was made
  // with; the connection keeps it alive after a reload replaced it.
  Connection(std::shared_ptr<ssl::context> tls_context, Stream stream, Shared* shared, std::string client_address)
      : tls_context_(std::move(tls_context)),
        stream_(std::move(stream)),
        shared_(shared),
        client_address_(std::move(client_address)) {
    buffer_.reserve(kReadBufferBytes);
  }

  void Run() {
    shared_->Register(this->shared_from_this());
    if constexpr (!kSecure) {
      net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->ReadNext(); });
    } else {
      Lowest().expires_after(shared_->options.read_timeout);
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) {
          spdlog::debug("{}: TLS handshake with {} failed: {}", self->shared_->options.name, self->client_address_,
                        ec.message());
          return self->Close();
        }
        self->ReadNext();
      });
    }
  }

  void Shutdown() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (!self->busy_) self->Close();
    });
  }

  void Deliver(Response response) override {
    net::post(stream_.get_executor(), [self = this->shared_from_this(), response = std::move(response)]() mutable {
      self->OnResponse(std::move(response));
    });
  }

 private:
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  // Waits (idle_timeout) for the first byte of the next request.
  void ReadNext() {
    busy_ = false;
    if (shared_->stopping) return Close();
    parser_.emplace();
    parser_->body_limit(shared_->options.max_body_bytes);
    parser_->header_limit(shared_->options.max_header_bytes);
    if (buffer_.size() > 0) return ReadHeader();  // pipelined
    Lowest().expires_after(shared_->options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadBufferBytes),
                            [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                              self->buffer_.commit(n);
                              if (ec) return self->Close();
                              if (n == 0) return self->ReadNext();
                              self->ReadHeader();
                            });
  }

  // The whole request must arrive within read_timeout of its first byte.
  void ReadHeader() {
    Lowest().expires_after(shared_->options.read_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      // The body limit was checked against Content-Length already: the
      // client may send.
      auto proceed = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      bhttp::async_write(stream_, *proceed, [self = this->shared_from_this(), proceed](beast::error_code ec, size_t) {
        if (ec) return self->Close();
        self->ReadBody();
      });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) return OnRead({});
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnReadError(beast::error_code ec) {
    busy_ = true;
    keep_alive_ = false;  // the rest of the stream cannot be trusted to be at a message boundary
    const ServerOptions& options = shared_->options;
    if (ec == bhttp::error::body_limit) {
      return ReplyError(413, "request body exceeds the limit of " + std::to_string(options.max_body_bytes) + " bytes");
    }
    if (ec == bhttp::error::header_limit) {
      return ReplyError(431,
                        "request headers exceed the limit of " + std::to_string(options.max_header_bytes) + " bytes");
    }
    if (IsMalformedRequest(ec)) return ReplyError(400, "malformed HTTP request: " + ec.message());
    Close();  // closed by the client, timed out, reset
  }

  void OnRead(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    busy_ = true;
    auto& message = parser_->get();
    keep_alive_ = shared_->options.keep_alive && message.keep_alive();
    request_ = std::make_unique<Request>();
    request_->method = ToMethod(message.method());
    request_->target = std::string(message.target());
    for (const auto& field : message) {
      request_->headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request_->body = std::move(message.body());
    request_->client_address = client_address_;
    request_->secure = kSecure;
    head_request_ = request_->method == Method::kHead;
    parser_.reset();
    auto target = ParseTarget(request_->target);
    if (!target) return ReplyError(400, "malformed request target");
    request_->path = std::move(target->path);
    request_->query = std::move(target->query);
    Dispatch();
  }

  void Dispatch() {
    Router::Match match = shared_->router.Find(*request_);
    if (match.bad_path) return ReplyError(400, "invalid request path");
    if (match.route == nullptr) {
      if (!match.other_method_matches) return ReplyError(404, "not found");
      std::string allow;
      for (const std::string& method : match.allowed) {
        if (!allow.empty()) allow += ", ";
        allow += method;
      }
      pending_ = shared_->options.error_response(405, "method not allowed");
      pending_->headers.emplace_back("Allow", std::move(allow));
      return WritePending();
    }
    if (const auto* handler = std::get_if<Handler>(&match.route->handler)) return RunBlocking(handler);
    RunAsync(&std::get<AsyncHandler>(match.route->handler));
  }

  void RunBlocking(const Handler* handler) {
    auto task = [self = this->shared_from_this(), request = request_.get(), handler,
                 work = WorkGuard(shared_->ioc.get_executor())] {
      Response response;
      try {
        response = (*handler)(*request);
      } catch (const std::exception& e) {
        spdlog::error("{}: handler for {} threw: {}", self->shared_->options.name, request->path, e.what());
        response = self->shared_->options.error_response(500, "internal error");
      }
      self->Deliver(std::move(response));
    };
    if (!shared_->workers->TrySubmit(std::move(task))) {
      pending_ = shared_->options.error_response(503, "server busy, retry later");
      pending_->headers.emplace_back("Retry-After", std::to_string(shared_->options.retry_after_seconds));
      return WritePending();
    }
    handler_running_ = true;
    StartWatch();
  }

  void RunAsync(const AsyncHandler* handler) {
    handler_running_ = true;
    StartWatch();
    auto state = std::make_shared<ResponderState>(this->shared_from_this(), shared_);
    Responder respond = [state](Response response) { state->Respond(std::move(response)); };
    try {
      (*handler)(*request_, respond);
    } catch (const std::exception& e) {
      spdlog::error("{}: handler for {} threw: {}", shared_->options.name, request_->path, e.what());
      respond(shared_->options.error_response(500, "internal error"));
    }
  }

  // Reads while the handler runs, to learn that the client went away. The
  // read is cancelled when the response is ready (OnResponse).
  void StartWatch() {
    watching_ = true;
    Lowest().expires_never();  // handlers may take long; the client decides
    stream_.async_read_some(
        buffer_.prepare(kWatchReadBytes),
        [self = this->shared_from_this()](beast::error_code ec, size_t n) { self->OnWatch(ec, n); });
  }

  void OnWatch(beast::error_code ec, size_t n) {
    watching_ = false;
    buffer_.commit(n);
    if (ec && ec != net::error::operation_aborted) {
      // EOF, reset or TLS close: nobody will read the response.
      keep_alive_ = false;
      if (request_ && handler_running_) {
        request_->cancelled->store(true);
        request_->cancelled->notify_all();
      }
    }
    if (pending_) return WritePending();
    if (!ec && handler_running_ && buffer_.size() < kMaxBufferedWhileHandling) StartWatch();
  }

  void OnResponse(Response response) {
    if (!handler_running_) return;  // cannot happen: one response per request
    handler_running_ = false;
    pending_ = std::move(response);
    if (watching_) {
      Lowest().cancel();  // OnWatch writes the response
      return;
    }
    WritePending();
  }

  void ReplyError(unsigned status, std::string message) {
    pending_ = shared_->options.error_response(status, message);
    WritePending();
  }

  void WritePending() {
    Response response = std::move(*pending_);
    pending_.reset();
    request_.reset();  // the handler is done with it; free the body before writing
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(11);
    message->result(response.status >= 100 && response.status <= 999 ? response.status : 500);
    if (!response.content_type.empty()) message->set(bhttp::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) message->insert(name, value);
    if (!HasHeader(response, "X-Content-Type-Options")) message->set("X-Content-Type-Options", "nosniff");
    if (!HasHeader(response, "Cache-Control")) message->set(bhttp::field::cache_control, "no-store");
    if (kSecure && shared_->options.hsts) {
      message->set(bhttp::field::strict_transport_security, "max-age=63072000; includeSubDomains");
    }
    bool keep_alive = keep_alive_ && !shared_->stopping;
    message->keep_alive(keep_alive);
    message->body() = std::move(response.body);
    message->prepare_payload();
    if (head_request_) {
      // HEAD: the headers a GET would get, no body.
      size_t length = message->body().size();
      message->body().clear();
      message->content_length(length);
    }
    Lowest().expires_after(shared_->options.write_timeout);
    bhttp::async_write(stream_, *message,
                       [self = this->shared_from_this(), message, keep_alive](beast::error_code ec, size_t) {
                         if (ec || !keep_alive) return self->Close();
                         self->ReadNext();
                       });
  }

  void Close() {
    busy_ = false;
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    Lowest().close();
  }

  std::shared_ptr<ssl::context> tls_context_;  // declared before stream_: outlives it
  Stream stream_;
  Shared* shared_;
  const std::string client_address_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<AppendStringBody>> parser_;
  std::unique_ptr<Request> request_;  // the request being handled, if any
  std::optional<Response> pending_;   // ready to write (waiting for the watch read to end)
  bool busy_ = false;                 // a request has been read and is not answered yet
  bool handler_running_ = false;      // the handler has not responded yet
  bool watching_ = false;             // a StartWatch read is outstanding
  bool keep_alive_ = true;
  bool head_request_ = false;
};

}  // namespace

class HttpServer::Impl {
 public:
  // The acceptor has its own strand so that Stop's close never races with
  // the accept loop.
  Impl(ServerOptions options, Router router)
      : shared_(std::move(options), std::move(router)), acceptor_(net::make_strand(shared_.ioc)) {
    if (!shared_.options.error_response) shared_.options.error_response = &Response::Error;
  }

  StatusOr<ListenAddress> Start(const ListenAddress& address) {
    const ServerOptions& options = shared_.options;
    if (started_) return Status::FailedPrecondition(options.name + ": Start called twice");
    bool has_blocking_route = false;
    for (const auto& route : shared_.router.routes()) {
      has_blocking_route |= std::holds_alternative<Handler>(route.handler);
    }
    if (has_blocking_route && options.worker_threads < 1) {
      return Status::InvalidArgument(options.name + ": blocking routes need worker_threads >= 1");
    }
    if (options.io_threads < 1) return Status::InvalidArgument(options.name + ": io_threads must be >= 1");
    if (options.tls.enabled()) {
      auto tls = TlsContextHolder::Create(options.tls);
      if (!tls.ok()) return tls.status().WithContext(options.name);
      tls_ = std::move(*tls);
    }
    beast::error_code ec;
    auto ip = net::ip::make_address(address.host, ec);
    if (ec) return Status::InvalidArgument("listen host '" + address.host + "' is not an IP address");
    tcp::endpoint endpoint(ip, address.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      beast::error_code ignored;
      acceptor_.close(ignored);
      return Status::IOError(options.name + ": listen on " + address.ToString() + ": " + ec.message());
    }
    started_ = true;
    ListenAddress bound = address;
    bound.port = acceptor_.local_endpoint().port();
    if (has_blocking_route) {
      shared_.workers =
          std::make_unique<WorkerPool>(options.worker_threads, options.worker_queue_limit, options.name + "-work");
    }
    Accept();
    std::string io_name = (options.name + "-io").substr(0, 15);
    for (int i = 0; i < options.io_threads; ++i) {
      io_threads_.emplace_back([this, io_name] {
        pthread_setname_np(pthread_self(), io_name.c_str());
        shared_.ioc.run();
      });
    }
    return bound;
  }

  Status ReloadTls() {
    if (!tls_) return Status::OK();
    return tls_->Reload().WithContext(shared_.options.name);
  }

  void Stop() {
    if (!started_ || stopped_.exchange(true)) return;
    shared_.stopping = true;
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
    {
      std::lock_guard<std::mutex> lk(shared_.mu);
      for (auto& weak : shared_.connections) {
        if (auto connection = weak.lock()) connection->Shutdown();
      }
    }
    // io_context::run returns once the acceptor is closed and the last
    // connection has answered its request in flight and closed (handlers
    // hold work guards until they respond).
    for (auto& thread : io_threads_) thread.join();
    io_threads_.clear();
    if (shared_.workers) shared_.workers->Shutdown();
  }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(shared_.ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (shared_.stopping || !acceptor_.is_open()) return;
        spdlog::warn("{}: accept failed: {}", shared_.options.name, ec.message());
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        std::string client = socket.remote_endpoint(ec).address().to_string();
        if (tls_) {
          using TlsStream = beast::ssl_stream<beast::tcp_stream>;
          std::shared_ptr<ssl::context> context = tls_->Current();
          TlsStream stream(std::move(socket), *context);
          std::make_shared<Connection<TlsStream>>(std::move(context), std::move(stream), &shared_, std::move(client))
              ->Run();
        } else {
          std::make_shared<Connection<beast::tcp_stream>>(nullptr, beast::tcp_stream(std::move(socket)), &shared_,
                                                          std::move(client))
              ->Run();
        }
      }
      if (!shared_.stopping) Accept();
    });
  }

  Shared shared_;
  tcp::acceptor acceptor_;
  std::unique_ptr<TlsContextHolder> tls_;  // set by Start when TLS is on
  std::vector<std::thread> io_threads_;
  bool started_ = false;
  std::atomic<bool> stopped_{false};
};

HttpServer::HttpServer(ServerOptions options, Router router)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}
HttpServer::~HttpServer() { Stop(); }
StatusOr<ListenAddress> HttpServer::Start(const ListenAddress& address) { return impl_->Start(address); }
Status HttpServer::ReloadTls() { return impl_->ReloadTls(); }
void HttpServer::Stop() { impl_->Stop(); }

}  // namespace otelstack::http

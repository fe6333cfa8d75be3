#include "clickhouse/http_client.h"

#include <netdb.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <zlib.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace otelstack::clickhouse {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

constexpr size_t kMaxUrlBytes = 2048;
constexpr size_t kMaxErrorExcerpt = 300;
constexpr size_t kMaxExceptionText = 1000;
// A ClickHouse exception answer is short; a longer error body is cut.
constexpr size_t kMaxErrorBodyBytes = 64 * 1024;
constexpr auto kCancelPoll = std::chrono::milliseconds(50);
// The streams' expiry ends every operation at the deadline; this margin is a
// backstop that must never be what stops an exchange.
constexpr auto kBackstop = std::chrono::milliseconds(200);
constexpr std::string_view kErrorPrefix = "ClickHouse error ";

Status BadUrl(std::string_view why) { return Status::InvalidArgument("url: " + std::string(why)); }

bool IsHostChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'; }
bool IsIpv6Char(char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; }

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// A printable, single-line excerpt of a server's answer for an error message.
std::string Excerpt(std::string_view text, size_t max = kMaxErrorExcerpt) {
  std::string out;
  for (char c : text.substr(0, max)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (text.size() > max) out += "...";
  return out;
}

std::string Base64(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

std::string BracketedHost(const ClickHouseUrl& url) {
  return url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
}

std::string HostPort(const ClickHouseUrl& url) { return BracketedHost(url) + ":" + std::to_string(url.port); }

void AppendPercentEncoded(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out->push_back(c);
    } else {
      out->push_back('%');
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 15]);
    }
  }
}

bool IsSettingName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// "<path>?a=b&c=d": the URL's path (with a trailing '/', as ClickHouse's
// handler expects) and the parameters in order.
StatusOr<std::string> Target(const ConnectionOptions& options, std::string_view query_param, const Settings& settings) {
  std::string target = options.url.path.empty() ? "/" : options.url.path;
  if (target.back() != '/') target.push_back('/');
  char separator = '?';
  auto add = [&](std::string_view name, std::string_view value) {
    target.push_back(separator);
    separator = '&';
    target += name;
    target.push_back('=');
    AppendPercentEncoded(value, &target);
  };
  if (!options.database.empty()) add("database", options.database);
  if (!query_param.empty()) add("query", query_param);
  for (const auto& [name, value] : settings) {
    if (!IsSettingName(name)) return Status::InvalidArgument("settings: invalid setting name '" + Excerpt(name) + "'");
    add(name, value);
  }
  return target;
}

StatusOr<std::string> Gzip(std::string_view data) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("gzip: deflateInit2 failed");
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  size_t written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return Status::Internal("gzip: deflate did not finish");
  out.resize(written);
  return out;
}

// Resolution with a deadline. getaddrinfo cannot be interrupted, so it runs on
// a detached thread that owns its share of the state; when the deadline
// passes first the caller leaves and the thread finishes on its own.
struct ResolveState {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::vector<tcp::endpoint> endpoints;
  std::string error;
};

StatusOr<std::vector<tcp::endpoint>> ResolveBefore(const std::string& host, uint16_t port, Deadline deadline,
                                                   const std::atomic<bool>* cancel) {
  error_code ec;
  asio::ip::address literal = asio::ip::make_address(host, ec);
  if (!ec) return std::vector<tcp::endpoint>{tcp::endpoint(literal, port)};

  auto state = std::make_shared<ResolveState>();
  std::thread([state, host, port] {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
    std::vector<tcp::endpoint> endpoints;
    std::string error;
    if (rc != 0) {
      error = ::gai_strerror(rc);
    } else {
      for (addrinfo* p = found; p != nullptr; p = p->ai_next) {
        if (p->ai_addrlen > sizeof(sockaddr_storage)) continue;
        tcp::endpoint endpoint;
        std::memcpy(endpoint.data(), p->ai_addr, p->ai_addrlen);
        endpoint.resize(p->ai_addrlen);
        endpoints.push_back(endpoint);
      }
      ::freeaddrinfo(found);
      if (endpoints.empty()) error = "no addresses";
    }
    std::lock_guard<std::mutex> lock(state->mu);
    state->endpoints = std::move(endpoints);
    state->error = std::move(error);
    state->done = true;
    state->cv.notify_all();
  }).detach();

  std::unique_lock<std::mutex> lock(state->mu);
  while (!state->done) {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
      return Status::Cancelled("resolve " + host + ": cancelled");
    }
    Deadline now = Clock::now();
    if (now >= deadline) return Status::Unavailable("resolve " + host + ": timed out");
    state->cv.wait_until(lock, std::min(deadline, now + kCancelPoll));
  }
  if (!state->error.empty()) return Status::Unavailable("resolve " + host + ": " + state->error);
  return std::move(state->endpoints);
}

struct HttpResponse {
  int status = 0;
  std::string exception_code;  // the X-ClickHouse-Exception-Code header
  std::string body;
};

Status StepFailure(std::string_view step, error_code ec) {
  if (ec == beast::error::timeout) return Status::Unavailable("timed out " + std::string(step));
  return Status::Unavailable(std::string(step) + ": " + ec.message());
}

// One request/response over a connected (and, for https, handshaken) stream.
// Completion sets *result; the stream's expiry bounds every step.
template <class Stream>
class Exchange {
 public:
  Exchange(Stream& stream, bhttp::request<bhttp::string_body> request, size_t max_body, HttpResponse* response,
           Status* result)
      : stream_(stream), request_(std::move(request)), max_body_(max_body), response_(response), result_(result) {
    parser_.header_limit(16 * 1024);
    // Error bodies may run past a small bound for results; they are cut, not
    // refused, so the exception text is never lost to the bound.
    parser_.body_limit(std::max<uint64_t>(max_body, kMaxErrorBodyBytes));
  }

  void Start() {
    bhttp::async_write(stream_, request_, [this](error_code ec, size_t) {
      // A server that refuses the request (bad credentials) may answer and
      // close before reading all of a large body: read its answer anyway.
      if (ec && ec != asio::error::broken_pipe && ec != asio::error::connection_reset) {
        *result_ = StepFailure("sending the request", ec);
        return;
      }
      bhttp::async_read(stream_, buffer_, parser_, [this](error_code ec, size_t) { OnRead(ec); });
    });
  }

 private:
  void OnRead(error_code ec) {
    // A TLS peer may close without close_notify after a complete response.
    if (ec == bhttp::error::body_limit) {
      *result_ = Status::ResourceExhausted("ClickHouse response larger than " + std::to_string(max_body_) + " bytes");
      return;
    }
    if (ec && !(ec == asio::ssl::error::stream_truncated && parser_.is_done())) {
      *result_ = StepFailure("reading the response", ec);
      return;
    }
    auto& message = parser_.get();
    response_->status = static_cast<int>(message.result_int());
    auto code = message.find("X-ClickHouse-Exception-Code");
    if (code != message.end()) response_->exception_code = std::string(code->value());
    response_->body = std::move(message.body());
    if (response_->status == 200 && response_->body.size() > max_body_) {
      response_->body.clear();
      *result_ = Status::ResourceExhausted("ClickHouse response larger than " + std::to_string(max_body_) + " bytes");
      return;
    }
    *result_ = Status::OK();
  }

  Stream& stream_;
  bhttp::request<bhttp::string_body> request_;
  size_t max_body_;
  HttpResponse* response_;
  Status* result_;
  beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
};

// Runs `ioc` until its work is done, polling `cancel`. Returns false when the
// flag was set (after `close` aborted the pending operations).
bool Drive(asio::io_context& ioc, Deadline deadline, const std::atomic<bool>* cancel,
           const std::function<void()>& close) {
  const Deadline backstop = deadline + kBackstop;
  while (!ioc.stopped()) {
    bool cancelled = cancel != nullptr && cancel->load(std::memory_order_relaxed);
    Deadline now = Clock::now();
    if (cancelled || now >= backstop) {
      close();
      // The aborted operations complete at once; their handlers must run
      // before the stream they reference goes away.
      ioc.restart();
      ioc.run_for(kBackstop);
      return !cancelled;
    }
    ioc.run_for(std::min<Clock::duration>(kCancelPoll, backstop - now));
  }
  return true;
}

std::string ConnectFailure(const ClickHouseUrl& url, error_code ec) {
  if (ec == beast::error::timeout) return "connect to " + HostPort(url) + ": timed out";
  return "connect to " + HostPort(url) + ": " + ec.message();
}

Status Cancelled(const ClickHouseUrl& url) { return Status::Cancelled("request to " + HostPort(url) + " cancelled"); }

// Sends `request` and reads the whole response within options.timeout.
Status Perform(const ConnectionOptions& options, bhttp::request<bhttp::string_body> request,
               const std::atomic<bool>* cancel, size_t max_body, HttpResponse* response) {
  const ClickHouseUrl& url = options.url;
  if (url.host.empty() || url.port == 0) return Status::InvalidArgument("url: not set");
  if (cancel != nullptr && cancel->load()) return Cancelled(url);
  const Deadline deadline = Clock::now() + options.timeout;

  request.set(bhttp::field::host, BracketedHost(url) + ":" + std::to_string(url.port));
  request.set(bhttp::field::user_agent, "otelstack");
  request.set(bhttp::field::connection, "close");
  if (!options.user.empty() || !options.password.empty()) {
    std::string user = options.user.empty() ? "default" : options.user;
    request.set(bhttp::field::authorization, "Basic " + Base64(user + ":" + options.password));
  }
  request.prepare_payload();

  StatusOr<std::vector<tcp::endpoint>> endpoints = ResolveBefore(url.host, url.port, deadline, cancel);
  if (!endpoints.ok()) return endpoints.status();

  asio::io_context ioc;
  Status result = Status::Unavailable("timed out talking to " + HostPort(url));

  if (!url.https) {
    beast::tcp_stream stream(ioc);
    stream.expires_at(deadline);
    Exchange<beast::tcp_stream> exchange(stream, std::move(request), max_body, response, &result);
    stream.async_connect(*endpoints, [&](error_code ec, const tcp::endpoint&) {
      if (ec) {
        result = Status::Unavailable(ConnectFailure(url, ec));
        return;
      }
      exchange.Start();
    });
    if (!Drive(ioc, deadline, cancel, [&] { stream.close(); })) return Cancelled(url);
    return result;
  }

  asio::ssl::context context(asio::ssl::context::tls_client);
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  error_code ec;
  if (options.verify_certificate) {
    if (!options.ca_file.empty()) {
      context.load_verify_file(options.ca_file, ec);
      if (ec) return Status::InvalidArgument("ca_file: cannot load " + options.ca_file + ": " + ec.message());
    } else {
      context.set_default_verify_paths(ec);
      if (ec) return Status::Internal("TLS: cannot load the system trust store: " + ec.message());
    }
    context.set_verify_mode(asio::ssl::verify_peer, ec);
  } else {
    context.set_verify_mode(asio::ssl::verify_none, ec);
  }
  beast::ssl_stream<beast::tcp_stream> stream(ioc, context);
  // SNI for names (not for IP literals), and the name or IP the certificate
  // must match (SSL_set1_host treats an IP literal as an address).
  error_code literal_ec;
  asio::ip::make_address(url.host, literal_ec);
  if (literal_ec && !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
    return Status::Internal("TLS: cannot set the server name");
  }
  if (options.verify_certificate && SSL_set1_host(stream.native_handle(), url.host.c_str()) != 1) {
    return Status::Internal("TLS: cannot set the expected host name");
  }
  beast::get_lowest_layer(stream).expires_at(deadline);
  Exchange<beast::ssl_stream<beast::tcp_stream>> exchange(stream, std::move(request), max_body, response, &result);
  beast::get_lowest_layer(stream).async_connect(*endpoints, [&](error_code ec, const tcp::endpoint&) {
    if (ec) {
      result = Status::Unavailable(ConnectFailure(url, ec));
      return;
    }
    stream.async_handshake(asio::ssl::stream_base::client, [&](error_code ec) {
      if (ec) {
        result = Status::Unavailable(ec == beast::error::timeout
                                         ? "TLS handshake with " + HostPort(url) + ": timed out"
                                         : "TLS handshake with " + HostPort(url) + ": " + ec.message());
        return;
      }
      exchange.Start();
    });
  });
  if (!Drive(ioc, deadline, cancel, [&] { beast::get_lowest_layer(stream).close(); })) return Cancelled(url);
  return result;
}

// Parses "Code: 60, e.displayText() = DB::Exception: <text>, e.what() = ..."
// (18.x) or "Code: 60. DB::Exception: <text>. (UNKNOWN_TABLE) (version ...)"
// (newer) into the code and the text's first line. False if `body` is not a
// ClickHouse exception.
bool ParseException(std::string_view body, int* code, std::string* text) {
  size_t start = body.find("Code: ");
  if (start == std::string_view::npos || start > 64) return false;
  std::string_view rest = body.substr(start + 6);
  int value = 0;
  size_t digits = 0;
  while (digits < rest.size() && digits < 6 && std::isdigit(static_cast<unsigned char>(rest[digits]))) {
    value = value * 10 + (rest[digits] - '0');
    ++digits;
  }
  if (digits == 0) return false;
  *code = value;
  rest.remove_prefix(digits);
  size_t line_end = rest.find('\n');
  std::string_view line = rest.substr(0, line_end);
  for (std::string_view marker : {std::string_view("DB::Exception: "), std::string_view("e.displayText() = ")}) {
    size_t at = line.find(marker);
    if (at != std::string_view::npos) {
      line.remove_prefix(at + marker.size());
      break;
    }
  }
  for (std::string_view suffix : {std::string_view(", e.what() = "), std::string_view(" (version ")}) {
    size_t at = line.rfind(suffix);
    if (at != std::string_view::npos) line = line.substr(0, at);
  }
  while (!line.empty() && (line.front() == ',' || line.front() == '.' || line.front() == ' ')) line.remove_prefix(1);
  *text = Excerpt(line, kMaxExceptionText);
  return true;
}

Status ExceptionStatus(int code, std::string text) {
  std::string message = std::string(kErrorPrefix) + std::to_string(code) + ": " + std::move(text);
  switch (code) {
    case 158:  // TOO_MANY_ROWS
    case 159:  // TIMEOUT_EXCEEDED
    case 307:  // TOO_MANY_BYTES
      return Status::ResourceExhausted(std::move(message));
    case 164:  // READONLY
    case 192:  // UNKNOWN_USER
    case 193:  // WRONG_PASSWORD
    case 497:  // ACCESS_DENIED
    case 516:  // AUTHENTICATION_FAILED
      return Status::PermissionDenied(std::move(message));
    case 43:  // ILLEGAL_TYPE_OF_ARGUMENT
    case 47:  // UNKNOWN_IDENTIFIER
    case 53:  // TYPE_MISMATCH
    case 62:  // SYNTAX_ERROR
      return Status::InvalidArgument(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

// The Status for a non-200 answer.
Status HttpFailure(const ClickHouseUrl& url, const HttpResponse& response) {
  int code = 0;
  std::string text;
  if (ParseException(response.body, &code, &text)) {
    if (!response.exception_code.empty()) {
      int header_code = std::atoi(response.exception_code.c_str());
      if (header_code > 0) code = header_code;
    }
    return ExceptionStatus(code, std::move(text));
  }
  if (!response.exception_code.empty() && std::atoi(response.exception_code.c_str()) > 0) {
    return ExceptionStatus(std::atoi(response.exception_code.c_str()), Excerpt(response.body));
  }
  std::string message =
      "HTTP " + std::to_string(response.status) + " from " + HostPort(url) + ": " + Excerpt(response.body);
  switch (response.status) {
    case 502:
    case 503:
    case 504:
      return Status::Unavailable(std::move(message));
    case 401:
    case 403:
      return Status::PermissionDenied(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

Status Run(const ConnectionOptions& options, std::string_view query_param, const Settings& settings, std::string body,
           const char* content_type, bool gzip, const std::atomic<bool>* cancel, size_t max_body, std::string* out) {
  StatusOr<std::string> target = Target(options, query_param, settings);
  if (!target.ok()) return target.status();
  if (target->size() > 1024 * 1024) return Status::InvalidArgument("ClickHouse request URL longer than 1 MiB");
  bhttp::request<bhttp::string_body> request(bhttp::verb::post, *target, 11);
  request.set(bhttp::field::content_type, content_type);
  if (gzip) {
    StatusOr<std::string> compressed = Gzip(body);
    if (!compressed.ok()) return compressed.status();
    request.set(bhttp::field::content_encoding, "gzip");
    request.body() = std::move(*compressed);
  } else {
    request.body() = std::move(body);
  }
  HttpResponse response;
  Status status = Perform(options, std::move(request), cancel, max_body, &response);
  if (!status.ok()) return status;
  if (response.status != 200) return HttpFailure(options.url, response);
  if (out != nullptr) *out = std::move(response.body);
  return Status::OK();
}

}  // namespace

StatusOr<ClickHouseUrl> ParseClickHouseUrl(std::string_view text) {
  if (text.empty()) return BadUrl("is required");
  if (text.size() > kMaxUrlBytes) return BadUrl("longer than 2048 bytes");
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return BadUrl("must not contain spaces or control characters");
  }
  ClickHouseUrl url;
  if (StartsWithNoCase(text, "https://")) {
    url.https = true;
    text.remove_prefix(8);
  } else if (StartsWithNoCase(text, "http://")) {
    text.remove_prefix(7);
  } else {
    return BadUrl("must start with http:// or https://");
  }
  if (text.find_first_of("?#") != std::string_view::npos) return BadUrl("must not have a query string or fragment");
  size_t slash = text.find('/');
  std::string_view authority = text.substr(0, slash);
  url.path = slash == std::string_view::npos ? "/" : std::string(text.substr(slash));
  if (authority.find('@') != std::string_view::npos) {
    return BadUrl("must not contain credentials (use username and password)");
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadUrl("unterminated IPv6 address");
    std::string_view host = authority.substr(1, close - 1);
    if (host.empty()) return BadUrl("has no host");
    for (char c : host) {
      if (!IsIpv6Char(c)) return BadUrl("invalid IPv6 address");
    }
    url.host = std::string(host);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return BadUrl("unexpected text after the IPv6 address");
      port = rest.substr(1);
      if (port.empty()) return BadUrl("empty port");
    }
  } else {
    size_t colon = authority.find(':');
    std::string_view host = authority.substr(0, colon);
    if (host.empty()) return BadUrl("has no host");
    for (char c : host) {
      if (!IsHostChar(c)) return BadUrl("invalid character in the host name");
    }
    url.host = std::string(host);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return BadUrl("empty port");
    }
  }
  if (port.empty()) {
    url.port = url.https ? 8443 : 8123;
  } else {
    if (port.size() > 5) return BadUrl("invalid port");
    uint32_t value = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return BadUrl("invalid port");
      value = value * 10 + static_cast<uint32_t>(c - '0');
    }
    if (value == 0 || value > 65535) return BadUrl("port out of range");
    url.port = static_cast<uint16_t>(value);
  }
  return url;
}

std::string UrlToString(const ClickHouseUrl& url) {
  return std::string(url.https ? "https://" : "http://") + HostPort(url) + (url.path.empty() ? "/" : url.path);
}

std::vector<std::vector<std::string_view>> SplitTabSeparated(std::string_view body) {
  std::vector<std::vector<std::string_view>> rows;
  while (!body.empty()) {
    size_t eol = body.find('\n');
    std::string_view line = body.substr(0, eol);
    body = eol == std::string_view::npos ? std::string_view() : body.substr(eol + 1);
    if (line.empty()) continue;
    std::vector<std::string_view> fields;
    for (;;) {
      size_t tab = line.find('\t');
      fields.push_back(line.substr(0, tab));
      if (tab == std::string_view::npos) break;
      line.remove_prefix(tab + 1);
    }
    rows.push_back(std::move(fields));
  }
  return rows;
}

int ExceptionCode(const Status& status) {
  const std::string& message = status.message();
  size_t at = message.find(kErrorPrefix);
  if (status.ok() || at == std::string::npos) return 0;
  int code = 0;
  for (size_t i = at + kErrorPrefix.size(); i < message.size() && std::isdigit(static_cast<unsigned char>(message[i]));
       ++i) {
    code = code * 10 + (message[i] - '0');
  }
  return code;
}

Client::Client(ConnectionOptions options) : options_(std::move(options)) {}

Status Client::Query(std::string_view sql, const Settings& settings, std::string* out, const std::atomic<bool>* cancel,
                     size_t max_response_bytes) const {
  return Run(options_, {}, settings, std::string(sql), "text/plain; charset=UTF-8", false, cancel, max_response_bytes,
             out);
}

Status Client::Insert(std::string_view insert_sql, std::string_view data, const Settings& settings,
                      bool compress) const {
  if (insert_sql.empty()) return Status::InvalidArgument("insert: empty statement");
  return Run(options_, insert_sql, settings, std::string(data), "application/octet-stream", compress, nullptr,
             kMaxErrorBodyBytes, nullptr);
}

StatusOr<std::string> Client::Version() const {
  std::string body;
  Status status = Query("SELECT version()", {}, &body, nullptr, 4096);
  if (!status.ok()) return status;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) body.pop_back();
  if (body.empty()) return Status::Internal("SELECT version(): empty answer");
  return body;
}

}  // namespace otelstack::clickhouse

#include "api/clickhouse_ping.h"

#include <netdb.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace otelstack::api {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;
using Deadline = std::chrono::steady_clock::time_point;

constexpr size_t kMaxUrlBytes = 2048;
constexpr uint32_t kMaxResponseBodyBytes = 64 * 1024;
constexpr size_t kMaxErrorExcerpt = 300;

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
std::string Excerpt(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxErrorExcerpt)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (text.size() > kMaxErrorExcerpt) out += "...";
  return out;
}

std::string Base64(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

std::string HostPort(const ClickHouseUrl& url) {
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  return host + ":" + std::to_string(url.port);
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

StatusOr<std::vector<tcp::endpoint>> ResolveBefore(const std::string& host, uint16_t port, Deadline deadline) {
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
  if (!state->cv.wait_until(lock, deadline, [&] { return state->done; })) {
    return Status::Unavailable("resolve " + host + ": timed out");
  }
  if (!state->error.empty()) return Status::Unavailable("resolve " + host + ": " + state->error);
  return std::move(state->endpoints);
}

// One request/response over a connected (and, for https, handshaken) stream.
// Completion sets *result; the stream's expiry bounds every step.
template <class Stream>
class Exchange {
 public:
  Exchange(Stream& stream, bhttp::request<bhttp::empty_body> request, Status* result)
      : stream_(stream), request_(std::move(request)), result_(result) {
    parser_.header_limit(16 * 1024);
    parser_.body_limit(kMaxResponseBodyBytes);
  }

  void Start() {
    bhttp::async_write(stream_, request_, [this](error_code ec, size_t) {
      if (ec) {
        *result_ = Failure("sending the request", ec);
        return;
      }
      bhttp::async_read(stream_, buffer_, parser_, [this](error_code ec, size_t) { OnRead(ec); });
    });
  }

 private:
  void OnRead(error_code ec) {
    // A TLS peer may close without close_notify after a complete response.
    if (ec && !(ec == asio::ssl::error::stream_truncated && parser_.is_done())) {
      *result_ = Failure("reading the response", ec);
      return;
    }
    const auto& response = parser_.get();
    const std::string& body = response.body();
    if (response.result_int() != 200) {
      *result_ = Status::Unavailable("HTTP " + std::to_string(response.result_int()) + ": " + Excerpt(body));
      return;
    }
    std::string_view answer = body;
    while (!answer.empty() && (answer.back() == '\n' || answer.back() == '\r' || answer.back() == ' ')) {
      answer.remove_suffix(1);
    }
    if (answer != "1") {
      *result_ = Status::Unavailable("unexpected answer to SELECT 1: " + Excerpt(body));
      return;
    }
    *result_ = Status::OK();
  }

  static Status Failure(std::string_view step, error_code ec) {
    if (ec == beast::error::timeout) return Status::Unavailable("timed out " + std::string(step));
    return Status::Unavailable(std::string(step) + ": " + ec.message());
  }

  Stream& stream_;
  bhttp::request<bhttp::empty_body> request_;
  beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
  Status* result_;
};

bhttp::request<bhttp::empty_body> BuildRequest(const ClickHouseUrl& url, const PingOptions& options) {
  std::string target = url.path;
  if (target.back() != '/') target.push_back('/');
  target += "?query=SELECT%201";
  bhttp::request<bhttp::empty_body> request(bhttp::verb::get, target, 11);
  bool default_port = url.port == (url.https ? 443 : 80);
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  request.set(bhttp::field::host, default_port ? host : host + ":" + std::to_string(url.port));
  request.set(bhttp::field::user_agent, "otelstack");
  request.set(bhttp::field::connection, "close");
  if (!options.username.empty() || !options.password.empty()) {
    std::string user = options.username.empty() ? "default" : options.username;
    request.set(bhttp::field::authorization, "Basic " + Base64(user + ":" + options.password));
  }
  return request;
}

std::string ConnectFailure(const ClickHouseUrl& url, error_code ec) {
  if (ec == beast::error::timeout) return "connect to " + HostPort(url) + ": timed out";
  return "connect to " + HostPort(url) + ": " + ec.message();
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

Status PingClickHouse(const ClickHouseUrl& url, const PingOptions& options) {
  const Deadline deadline = std::chrono::steady_clock::now() + options.timeout;
  StatusOr<std::vector<tcp::endpoint>> endpoints = ResolveBefore(url.host, url.port, deadline);
  if (!endpoints.ok()) return endpoints.status();

  asio::io_context ioc;
  Status result = Status::Unavailable("timed out");
  bhttp::request<bhttp::empty_body> request = BuildRequest(url, options);

  if (!url.https) {
    beast::tcp_stream stream(ioc);
    stream.expires_at(deadline);
    Exchange<beast::tcp_stream> exchange(stream, std::move(request), &result);
    stream.async_connect(*endpoints, [&](error_code ec, const tcp::endpoint&) {
      if (ec) {
        result = Status::Unavailable(ConnectFailure(url, ec));
        return;
      }
      exchange.Start();
    });
    // The stream's expiry ends every operation at the deadline; the margin
    // is a backstop that must never be what stops the exchange.
    ioc.run_until(deadline + std::chrono::milliseconds(200));
    return result;
  }

  asio::ssl::context context(asio::ssl::context::tls_client);
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  error_code ec;
  if (options.verify_certificate) {
    context.set_default_verify_paths(ec);
    if (ec) return Status::Internal("TLS: cannot load the system trust store: " + ec.message());
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
  Exchange<beast::ssl_stream<beast::tcp_stream>> exchange(stream, std::move(request), &result);
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
  ioc.run_until(deadline + std::chrono::milliseconds(200));
  return result;
}

}  // namespace otelstack::api

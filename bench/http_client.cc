#include "bench/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>

namespace otelstack::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpConnection::Impl {
  std::string host, port, authorization;
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;
  http::request<http::string_body> request;

  beast::error_code Connect() {
    beast::error_code ec;
    tcp::resolver resolver(io);
    auto endpoints = resolver.resolve(host, port, ec);
    if (ec) return ec;
    asio::connect(socket, endpoints, ec);
    if (ec) return ec;
    socket.set_option(tcp::no_delay(true), ec);
    buffer.clear();
    return ec;
  }
  void Close() {
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }
};

HttpConnection::HttpConnection(std::string host, std::string port, std::string authorization)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = std::move(port);
  impl_->authorization = std::move(authorization);
  impl_->request.version(11);
  impl_->request.method(http::verb::post);
  impl_->request.set(http::field::host, impl_->host + ":" + impl_->port);
  impl_->request.set(http::field::user_agent, "otelstack-loadgen");
  if (!impl_->authorization.empty()) impl_->request.set(http::field::authorization, impl_->authorization);
  impl_->request.keep_alive(true);
}

HttpConnection::~HttpConnection() { impl_->Close(); }

HttpResult HttpConnection::Post(std::string_view target, std::string_view content_type, std::string* body) {
  Impl& c = *impl_;
  HttpResult result;
  c.request.target(beast::string_view(target.data(), target.size()));
  c.request.set(http::field::content_type, beast::string_view(content_type.data(), content_type.size()));
  c.request.body().swap(*body);
  c.request.prepare_payload();

  beast::error_code ec;
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool fresh = false;
    if (!c.socket.is_open()) {
      ec = c.Connect();
      if (ec) break;
      fresh = true;
    }
    http::write(c.socket, c.request, ec);
    if (!ec) break;
    c.Close();
    if (fresh) break;  // a brand-new connection failed: do not loop
  }
  c.request.body().swap(*body);
  if (ec) {
    c.Close();
    result.error = "send: " + ec.message();
    return result;
  }

  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(c.socket, c.buffer, parser, ec);
  if (ec) {
    c.Close();
    result.error = "receive: " + ec.message();
    return result;
  }
  const auto& response = parser.get();
  result.status = static_cast<int>(response.result_int());
  auto retry_after = response.find(http::field::retry_after);
  if (retry_after != response.end()) result.retry_after_s = std::atof(std::string(retry_after->value()).c_str());
  if (!response.keep_alive()) c.Close();
  return result;
}

}  // namespace otelstack::bench

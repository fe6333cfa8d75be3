#include "cli/healthcheck_command.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "http/listen_address.h"

namespace otelstack::cli {

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = boost::asio::ip::tcp;

struct HttpTarget {
  std::string host;
  std::string port;
  std::string path;
};

// Accepts http://HOST:PORT/PATH and http://[V6]:PORT/PATH.
bool ParseHttpUrl(const std::string& url, HttpTarget* out) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) return false;
  std::string rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out->path = slash == std::string::npos ? "/" : rest.substr(slash);
  auto address = http::ListenAddress::Parse(authority);
  if (!address.ok() || address->port == 0) return false;
  out->host = address->host;
  out->port = std::to_string(address->port);
  return true;
}

std::string DefaultUrl() {
  const char* listen = std::getenv("OTELSTACK_INTERNAL_LISTEN");
  std::string address = listen && *listen ? listen : "127.0.0.1:8888";
  // A wildcard bind is reached through loopback.
  if (address.rfind("0.0.0.0:", 0) == 0) address = "127.0.0.1:" + address.substr(8);
  if (address.rfind("[::]:", 0) == 0) address = "[::1]:" + address.substr(5);
  return "http://" + address + "/ready";
}

}  // namespace

HealthcheckCommand::HealthcheckCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("healthcheck", "Exit 0 if a running server's internal /ready (or --url) answers 200");
  cmd_->add_option("--url", url_, "Default: http://<OTELSTACK_INTERNAL_LISTEN or 127.0.0.1:8888>/ready");
  cmd_->add_option("--timeout", timeout_seconds_, "Seconds to wait for the answer")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

int HealthcheckCommand::Run() {
  std::string url = url_.empty() ? DefaultUrl() : url_;
  HttpTarget target;
  if (!ParseHttpUrl(url, &target)) {
    std::cerr << "healthcheck: --url must look like http://127.0.0.1:8888/ready, got " << url << "\n";
    return 2;
  }
  try {
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds_ * 1000)));
    stream.connect(tcp::resolver(io).resolve(target.host, target.port));
    bhttp::request<bhttp::empty_body> request(bhttp::verb::get, target.path, 11);
    request.set(bhttp::field::host, target.host);
    request.set(bhttp::field::connection, "close");
    bhttp::write(stream, request);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    bhttp::read(stream, buffer, response);
    if (response.result_int() == 200) return 0;
    std::string body = response.body();
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
    std::cerr << "healthcheck: " << url << " answered " << response.result_int() << ": " << body << "\n";
  } catch (const std::exception& e) {
    std::cerr << "healthcheck: " << url << ": " << e.what() << "\n";
  }
  return 1;
}

}  // namespace otelstack::cli

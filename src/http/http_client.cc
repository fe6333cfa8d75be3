#include "http/http_client.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <charconv>
#include <ctime>
#include <memory>

namespace otelstack::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string HostPort(const ClientUrl& url) {
  return (url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port);
}

// The peer certificate's expiry and subject, if the server sent one.
void RecordCertificate(SSL* ssl, ClientResponse* response) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return;
  const ASN1_TIME* not_after = X509_get0_notAfter(cert);
  struct tm tm {};
  if (not_after != nullptr && ASN1_TIME_to_tm(not_after, &tm) == 1) {
    response->certificate_not_after = std::chrono::system_clock::from_time_t(timegm(&tm));
  }
  char subject[512];
  if (X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof subject) != nullptr) {
    response->certificate_subject = subject;
  }
  X509_free(cert);
}

// One exchange on an established stream (plain or TLS): write the request,
// read the response into *out.
template <typename Stream>
void Exchange(Stream& stream, bhttp::request<bhttp::string_body>& request, beast::flat_buffer& buffer,
              bhttp::response_parser<bhttp::string_body>& parser, Status* result) {
  // `result` is captured by value: it is a parameter, gone when this returns.
  bhttp::async_write(stream, request, [&stream, &buffer, &parser, result](error_code ec, size_t) {
    if (ec) {
      *result = Status::Unavailable("sending the request: " + ec.message());
      return;
    }
    bhttp::async_read(stream, buffer, parser, [result](error_code ec, size_t) {
      if (ec == bhttp::error::body_limit) {
        *result = Status::ResourceExhausted("the response body is larger than the client's bound");
      } else if (ec) {
        *result = Status::Unavailable("reading the response: " + ec.message());
      } else {
        *result = Status::OK();
      }
    });
  });
}

}  // namespace

StatusOr<ClientUrl> ParseClientUrl(std::string_view url) {
  ClientUrl out;
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    out.https = true;
    rest = url.substr(8);
  } else {
    return Status::InvalidArgument("url: expected http:// or https://, got '" + std::string(url) + "'");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) out.target = std::string(rest.substr(slash));
  if (authority.find('@') != std::string_view::npos) {
    return Status::InvalidArgument("url: credentials in the URL are not accepted");
  }
  std::string_view port_text;
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("url: unterminated IPv6 literal");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return Status::InvalidArgument("url: unexpected text after the IPv6 literal");
      port_text = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return Status::InvalidArgument("url: no host in '" + std::string(url) + "'");
  if (port_text.empty()) {
    out.port = out.https ? 443 : 80;
  } else {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 || value > 65535) {
      return Status::InvalidArgument("url: bad port '" + std::string(port_text) + "'");
    }
    out.port = static_cast<uint16_t>(value);
  }
  return out;
}

StatusOr<ClientResponse> Fetch(const ClientRequest& req) {
  auto url = ParseClientUrl(req.url);
  if (!url.ok()) return url.status();
  auto verb = bhttp::string_to_verb(req.method);
  if (verb == bhttp::verb::unknown) return Status::InvalidArgument("unknown HTTP method " + req.method);

  bhttp::request<bhttp::string_body> request(verb, url->target, 11);
  request.set(bhttp::field::host, url->host);
  request.set(bhttp::field::user_agent, "otelstack");
  request.set(bhttp::field::connection, "close");
  for (const auto& [name, value] : req.headers) request.set(name, value);
  if (!req.body.empty() || verb == bhttp::verb::post || verb == bhttp::verb::put) {
    request.body() = req.body;
    request.prepare_payload();
  }

  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(req.max_body_bytes);
  parser.header_limit(64 * 1024);
  Status result = Status::Unavailable("no answer from " + HostPort(*url));
  const auto deadline = std::chrono::steady_clock::now() + req.timeout;
  ClientResponse response;

  std::unique_ptr<asio::ssl::context> context;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
  if (url->https) {
    context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    error_code ec;
    if (req.verify_certificate) {
      if (!req.ca_file.empty()) {
        context->load_verify_file(req.ca_file, ec);
        if (ec) return Status::InvalidArgument("cannot load the CA file " + req.ca_file + ": " + ec.message());
      } else {
        context->set_default_verify_paths(ec);
        if (ec) return Status::Internal("cannot load the system trust store: " + ec.message());
      }
      context->set_verify_mode(asio::ssl::verify_peer);
    } else {
      context->set_verify_mode(asio::ssl::verify_none);
    }
    secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, *context);
    error_code literal_ec;
    asio::ip::make_address(url->host, literal_ec);
    if (literal_ec && !SSL_set_tlsext_host_name(secure->native_handle(), url->host.c_str())) {
      return Status::Internal("TLS: cannot set the server name");
    }
    // SSL_set1_host matches an IP literal against the certificate's IP SANs.
    if (req.verify_certificate && SSL_set1_host(secure->native_handle(), url->host.c_str()) != 1) {
      return Status::Internal("TLS: cannot set the expected host name");
    }
  } else {
    plain = std::make_unique<beast::tcp_stream>(ioc);
  }
  beast::tcp_stream& lowest = secure ? beast::get_lowest_layer(*secure) : *plain;
  lowest.expires_at(deadline);

  resolver.async_resolve(url->host, std::to_string(url->port), [&](error_code ec, tcp::resolver::results_type found) {
    if (ec) {
      result = Status::Unavailable("cannot resolve " + url->host + ": " + ec.message());
      return;
    }
    lowest.async_connect(found, [&](error_code ec, const tcp::endpoint&) {
      if (ec) {
        result = Status::Unavailable("cannot connect to " + HostPort(*url) + ": " + ec.message());
        return;
      }
      if (!secure) {
        Exchange(*plain, request, buffer, parser, &result);
        return;
      }
      secure->async_handshake(asio::ssl::stream_base::client, [&](error_code ec) {
        if (ec) {
          long verify = SSL_get_verify_result(secure->native_handle());
          if (verify != X509_V_OK) {
            result = Status::Unavailable(std::string("certificate verification failed: ") +
                                         X509_verify_cert_error_string(verify));
          } else {
            result = Status::Unavailable("TLS handshake with " + HostPort(*url) + ": " + ec.message());
          }
          return;
        }
        RecordCertificate(secure->native_handle(), &response);
        Exchange(*secure, request, buffer, parser, &result);
      });
    });
  });
  ioc.run_for(req.timeout + std::chrono::milliseconds(100));
  if (!ioc.stopped()) {
    resolver.cancel();
    lowest.close();
    ioc.run_for(std::chrono::milliseconds(100));
    return Status::Unavailable("no answer from " + HostPort(*url) + " within the timeout");
  }
  if (!result.ok()) return result;
  const auto& message = parser.get();
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    std::string name = Lower(std::string_view(field.name_string().data(), field.name_string().size()));
    auto [it, inserted] = response.headers.emplace(name, std::string(field.value()));
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  response.body = message.body();
  return response;
}

}  // namespace otelstack::http

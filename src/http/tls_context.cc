#include "http/tls_context.h"

#include <openssl/ssl.h>

namespace otelstack::http {

namespace ssl = boost::asio::ssl;

StatusOr<std::shared_ptr<ssl::context>> MakeServerTlsContext(const TlsOptions& options) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use |
                       ssl::context::no_compression);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return Status::Internal("TLS: OpenSSL accepts none of the configured TLS 1.2 ciphers");
  }
  boost::system::error_code ec;
  context->use_certificate_chain_file(options.cert_file, ec);
  if (ec) return Status::InvalidArgument("TLS certificate " + options.cert_file + ": " + ec.message());
  context->use_private_key_file(options.key_file, ssl::context::pem, ec);
  if (ec) return Status::InvalidArgument("TLS key " + options.key_file + ": " + ec.message());
  if (SSL_CTX_check_private_key(native) != 1) {
    return Status::InvalidArgument("TLS key " + options.key_file + " does not match the certificate " +
                                   options.cert_file);
  }
  if (!options.client_ca_file.empty()) {
    context->load_verify_file(options.client_ca_file, ec);
    if (ec) return Status::InvalidArgument("TLS client CA " + options.client_ca_file + ": " + ec.message());
    context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  return context;
}

StatusOr<std::unique_ptr<TlsContextHolder>> TlsContextHolder::Create(TlsOptions options) {
  auto context = MakeServerTlsContext(options);
  if (!context.ok()) return context.status();
  return std::unique_ptr<TlsContextHolder>(new TlsContextHolder(std::move(options), std::move(*context)));
}

std::shared_ptr<ssl::context> TlsContextHolder::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return context_;
}

Status TlsContextHolder::Reload() {
  auto context = MakeServerTlsContext(options_);
  if (!context.ok()) return context.status().WithContext("TLS reload failed, keeping the current certificate");
  std::lock_guard<std::mutex> lock(mu_);
  context_ = std::move(*context);
  return Status::OK();
}

}  // namespace otelstack::http

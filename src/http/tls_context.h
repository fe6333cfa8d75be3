// Server-side TLS contexts for Beast listeners, built from TlsOptions.
//
// Every context: TLS 1.2 minimum (SSLv2/3, TLS 1.0/1.1 disabled), TLS 1.2
// restricted to ECDHE key exchange with AEAD ciphers (AES-GCM, ChaCha20-
// Poly1305; forward secrecy, no CBC, no RSA key exchange), TLS 1.3 with
// OpenSSL's default suites, compression and renegotiation off. With
// client_ca_file, peers must present a certificate chaining to that CA.
//
// TlsContextHolder keeps the current context for a listener and swaps it on
// Reload (SIGHUP): connections already established keep the context they
// were accepted with (each holds a shared_ptr to it), new connections get the
// new one, so a certificate renewal drops nothing. A failed Reload (missing
// or mismatched files) keeps the old context and says why.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>

#include "common/status.h"
#include "http/tls.h"

namespace otelstack::http {

// The TLS 1.2 cipher list (TLS 1.3 suites are OpenSSL's defaults, all AEAD).
inline constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// REQUIRES: options.enabled(). InvalidArgument naming the file that cannot
// be read or the key that does not match the certificate.
StatusOr<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(const TlsOptions& options);

class TlsContextHolder {
 public:
  // Builds the first context (see MakeServerTlsContext).
  static StatusOr<std::unique_ptr<TlsContextHolder>> Create(TlsOptions options);

  std::shared_ptr<boost::asio::ssl::context> Current() const;

  // Re-reads the files named by the options. Thread-safe.
  Status Reload();

 private:
  TlsContextHolder(TlsOptions options, std::shared_ptr<boost::asio::ssl::context> context)
      : options_(std::move(options)), context_(std::move(context)) {}

  const TlsOptions options_;
  mutable std::mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> context_;
};

}  // namespace otelstack::http

// TLS settings of a listener: PEM certificate chain and key, optionally a CA
// that client certificates must chain to (mTLS). The protocol floor (TLS 1.2)
// and the cipher list are fixed in tls_context.h, not configurable: there is
// no safe reason to weaken them.
#pragma once

#include <string>

namespace otelstack::http {

struct TlsOptions {
  std::string cert_file;  // PEM certificate chain; empty: plaintext
  std::string key_file;   // PEM private key
  // PEM CA bundle; non-empty: every client must present a certificate that
  // chains to it, or the handshake fails. Only meaningful with cert_file.
  std::string client_ca_file;
  bool enabled() const { return !cert_file.empty(); }
  bool requires_client_certificate() const { return enabled() && !client_ca_file.empty(); }
};

}  // namespace otelstack::http

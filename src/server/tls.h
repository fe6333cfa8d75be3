// TLS settings shared by the OTLP listeners: PEM certificate chain and key,
// TLS 1.2 minimum.
#pragma once

#include <string>

namespace otelstack::server {

struct TlsOptions {
  std::string cert_file;  // PEM certificate chain; empty: plaintext
  std::string key_file;   // PEM private key
  bool enabled() const { return !cert_file.empty(); }
};

}  // namespace otelstack::server

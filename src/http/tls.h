// TLS settings of a listener: PEM certificate chain and key, TLS 1.2 minimum.
#pragma once

#include <string>

namespace otelstack::http {

struct TlsOptions {
  std::string cert_file;  // PEM certificate chain; empty: plaintext
  std::string key_file;   // PEM private key
  bool enabled() const { return !cert_file.empty(); }
};

}  // namespace otelstack::http

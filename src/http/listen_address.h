// "HOST:PORT" listen addresses, e.g. "0.0.0.0:4318", "127.0.0.1:0", "[::1]:4317".
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace otelstack::http {

struct ListenAddress {
  std::string host;
  uint16_t port = 0;  // 0: pick a free port (the bound port is logged)

  static StatusOr<ListenAddress> Parse(const std::string& text);
  std::string ToString() const;  // brackets IPv6 hosts
};

}  // namespace otelstack::http

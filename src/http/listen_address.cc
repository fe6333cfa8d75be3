#include "http/listen_address.h"

#include <charconv>

namespace otelstack::http {

StatusOr<ListenAddress> ListenAddress::Parse(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) {
    return Status::InvalidArgument("listen address '" + text + "' must be HOST:PORT, e.g. 0.0.0.0:4318");
  }
  ListenAddress addr;
  addr.host = text.substr(0, colon);
  if (addr.host.size() >= 2 && addr.host.front() == '[' && addr.host.back() == ']') {
    addr.host = addr.host.substr(1, addr.host.size() - 2);
  }
  if (addr.host.empty()) addr.host = "0.0.0.0";
  unsigned port = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc() || ptr != end || port > 65535) {
    return Status::InvalidArgument("listen address '" + text + "': port must be a number from 0 to 65535");
  }
  addr.port = static_cast<uint16_t>(port);
  return addr;
}

std::string ListenAddress::ToString() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

}  // namespace otelstack::http

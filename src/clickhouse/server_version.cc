// ServerVersion and ServerFeatures (declared in http_client.h).
#include <cctype>

#include "clickhouse/http_client.h"

namespace otelstack::clickhouse {

StatusOr<ServerVersion> ServerVersion::Parse(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  int parts[3] = {0, 0, 0};
  int count = 0;
  size_t i = 0;
  while (i < text.size() && count < 3) {
    size_t digits = 0;
    long value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && digits < 6) {
      value = value * 10 + (text[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0) break;
    parts[count++] = static_cast<int>(value);
    if (i < text.size() && text[i] == '.') {
      ++i;
    } else {
      break;
    }
  }
  // At least "major.minor"; a fourth component (build) and suffixes such as
  // "-testing" or ".altinitystable" are ignored.
  if (count < 2)
    return Status::InvalidArgument("server version: cannot parse '" + std::string(text.substr(0, 64)) + "'");
  ServerVersion version;
  version.major = parts[0];
  version.minor = parts[1];
  version.patch = parts[2];
  return version;
}

std::string ServerVersion::ToString() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

ServerFeatures FeaturesOf(const ServerVersion& version) {
  ServerFeatures features;
  features.version = version;
  features.map_type = version.AtLeast(21, 1);
  features.datetime64 = version.AtLeast(20, 1);
  features.codecs = version.AtLeast(19, 10);
  features.skip_indexes = version.AtLeast(20, 1);
  features.ttl = version.AtLeast(20, 1);
  features.sql_users = version.AtLeast(20, 5);
  features.low_cardinality = version.AtLeast(19, 1);
  features.cancel_on_close = version.AtLeast(19, 1);
  features.wait_end_of_query = true;
  return features;
}

}  // namespace otelstack::clickhouse

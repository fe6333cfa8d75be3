#include "meta/retention_settings_repository.h"

namespace otelstack::meta {

std::string FormatRetention(std::chrono::seconds retention) {
  int64_t s = retention.count();
  if (s <= 0) return "0";
  if (s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

Status ValidateRetention(std::chrono::seconds retention) {
  if (retention.count() == 0 || retention >= std::chrono::minutes(1)) return Status::OK();
  return Status::InvalidArgument("retention: use 0 (keep forever) or at least 1m, e.g. 72h, 3d");
}

}  // namespace otelstack::meta

// Storage of retention settings, independent of the database behind it.
//
// Two kinds of per-signal values live here (signals by name: "logs",
// "traces", "metrics"; the repository does not check the names beyond
// "lowercase letters"):
//   - overrides, set by `otelstack retention set`: they win over every
//     flag, environment variable and config file setting of the server;
//   - what the server was last started with (value and where it came from,
//     e.g. "flag --retention-logs"), recorded by the server at start, so that
//     `otelstack retention show` in another process can explain the
//     effective value.
// Retentions are whole seconds; 0 keeps data forever. Implementations are
// thread-safe and every method is atomic.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "meta/ingestion_key_repository.h"  // TimePoint

namespace otelstack::meta {

// The default retention of every signal (issue: "default 3 days").
inline constexpr std::chrono::seconds kDefaultRetention{72 * 3600};

struct RetentionOverride {
  std::string signal;
  std::chrono::seconds retention{0};
  TimePoint updated_at;
};

struct ServerRetention {
  std::string signal;
  std::chrono::seconds retention{0};
  std::string source;     // e.g. "default", "flag --retention", "env OTELSTACK_RETENTION_LOGS"
  TimePoint recorded_at;  // when this value was first recorded
};

class RetentionSettingsRepository {
 public:
  virtual ~RetentionSettingsRepository() = default;

  // Stores (or replaces) the override of `signal`. InvalidArgument for a
  // negative retention or a malformed signal name.
  virtual Status SetOverride(std::string_view signal, std::chrono::seconds retention, TimePoint at) = 0;
  // Removes the override of `signal`; OK if there was none.
  virtual Status ClearOverride(std::string_view signal) = 0;
  // All overrides, by signal name.
  virtual StatusOr<std::vector<RetentionOverride>> ListOverrides() = 0;

  // Records what the server runs with for `signal` (replacing the last one).
  virtual Status RecordServerRetention(std::string_view signal, std::chrono::seconds retention, std::string_view source,
                                       TimePoint at) = 0;
  // The last recorded values, by signal name.
  virtual StatusOr<std::vector<ServerRetention>> ListServerRetention() = 0;

  // A number that changes whenever any of these settings changes, in this or
  // any other process. Cheap enough to poll every second.
  virtual StatusOr<int64_t> Generation() = 0;
};

// "3d", "36h", "90m", "45s", or "0" for keep forever.
std::string FormatRetention(std::chrono::seconds retention);

// OK for 0 (keep forever) or at least a minute; InvalidArgument otherwise.
Status ValidateRetention(std::chrono::seconds retention);

}  // namespace otelstack::meta

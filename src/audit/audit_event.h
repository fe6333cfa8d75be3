// The two kinds of audit event: what happened to a session or key
// (session_log) and which query someone ran (query_log).
//
// These are plain values filled by the API layer. Every string may come from
// a client (an e-mail typed at the login form, a user agent, a query); the
// encoder (audit/audit_record.h) redacts secrets from all of them, caps their
// length and repairs invalid UTF-8, so callers need not sanitize. Still,
// callers must never put a secret (password, raw key, session token) in any
// field on purpose: the redaction is a guard, not the policy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace otelstack::audit {

struct SessionEvent {
  enum class Kind {
    kLoginSucceeded,
    kLoginFailed,  // WARN
    kLogout,
    kSessionExpired,
    kSessionRevoked,
    kRegistered,
    kPasswordChanged,
    kPersonalKeyUsed,
    kPersonalKeyCreated,
    kPersonalKeyRevoked,
    kIngestionKeyUsed,
    kIngestionKeyCreated,
    kIngestionKeyRevoked,
    kIngestionKeyRevealed,
    kAccessDenied,  // WARN
  };

  Kind kind = Kind::kLoginSucceeded;
  std::string user_email;      // as given (also for failed logins of unknown users)
  int64_t user_id = 0;         // 0: unknown
  int64_t team_id = 0;         // 0: unknown
  std::string client_address;  // peer or first X-Forwarded-For hop, as the API decides
  std::string user_agent;
  std::string detail;    // reason, key name or id, route; NEVER a secret
  uint64_t time_ns = 0;  // unix nanoseconds; 0: when recorded
};

struct QueryEvent {
  enum class Kind { kSearch, kChart, kFacets, kTrace };
  // partial: a query limit cut the result; cancelled: the client went away.
  enum class Outcome { kOk, kPartial, kError, kCancelled };

  Kind kind = Kind::kSearch;
  std::string user_email;
  int64_t user_id = 0;  // 0: unknown (e.g. a personal key whose user is gone)
  int64_t team_id = 0;
  std::string client_address;
  std::string user_agent;
  std::string query_text;      // as the user wrote it
  std::string query_language;  // "lucene", "sql", or "" (a query built by the API)
  std::string source_id;       // as the API names sources; "" when none
  std::string source_name;
  uint64_t rows_read = 0;
  uint64_t bytes_read = 0;
  double duration_ms = 0;
  Outcome outcome = Outcome::kOk;
  std::string error;     // why it failed or stopped (kError, kCancelled), else ""
  uint64_t time_ns = 0;  // unix nanoseconds; 0: when recorded
};

// Stable names written into records (attribute event.name, query.kind,
// query.status). Never empty.
std::string_view EventName(SessionEvent::Kind kind);
std::string_view EventName(QueryEvent::Kind kind);          // "query.search", "query.chart", ...
std::string_view KindName(QueryEvent::Kind kind);           // "search", "chart", "facets", "trace"
std::string_view OutcomeName(QueryEvent::Outcome outcome);  // "ok", "partial", "error", "cancelled"

}  // namespace otelstack::audit

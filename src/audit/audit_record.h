// Encoding an audit event as one OpenTelemetry log record: the body of an
// OTLP/JSON ExportLogsServiceRequest, the same bytes a client would send, so
// the audit store logs and replays it with the ordinary ingest decoder
// (ingest::DecodeWalEntry) and the query engine searches it like any log.
//
// Record layout:
//   resource  service.name = "otelstack"
//   scope     name "otelstack.audit"
//   record    timeUnixNano = observedTimeUnixNano = event.time_ns (or now)
//             severity INFO (9), or WARN (13) for a failed login, a denied
//             access and a failed query
//             eventName = the event.name attribute
//             body: one short sentence ("login failed for a@b.c: wrong password")
//   attributes (see kAttr* below); a string attribute that is empty and a
//   user.id / team.id of 0 are left out.
//
// Every string (attributes and body) goes through RedactSecrets
// (audit/redact.h), is cut to a length cap (kMaxQueryTextBytes for the query
// text, kMaxFieldBytes for the others; redaction comes first so a cut cannot
// leave part of a key behind), and has invalid UTF-8 replaced with U+FFFD so
// that a hostile user agent cannot make the record undecodable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "audit/audit_event.h"

namespace otelstack::audit {

inline constexpr std::string_view kServiceName = "otelstack";
inline constexpr std::string_view kScopeName = "otelstack.audit";

// Attribute keys.
inline constexpr std::string_view kAttrLog = "audit.log";  // kSessionLog | kQueryLog
inline constexpr std::string_view kSessionLog = "session_log";
inline constexpr std::string_view kQueryLog = "query_log";
inline constexpr std::string_view kAttrEventName = "event.name";
inline constexpr std::string_view kAttrUserEmail = "user.email";
inline constexpr std::string_view kAttrUserId = "user.id";  // int
inline constexpr std::string_view kAttrTeamId = "team.id";  // int
inline constexpr std::string_view kAttrClientAddress = "client.address";
inline constexpr std::string_view kAttrUserAgent = "user_agent.original";
inline constexpr std::string_view kAttrDetail = "audit.detail";  // session_log only
// query_log only:
inline constexpr std::string_view kAttrQueryText = "query.text";
inline constexpr std::string_view kAttrQueryLanguage = "query.language";
inline constexpr std::string_view kAttrQueryKind = "query.kind";  // KindName()
inline constexpr std::string_view kAttrSourceId = "source.id";
inline constexpr std::string_view kAttrSourceName = "source.name";
inline constexpr std::string_view kAttrRowsRead = "query.rows_read";      // int, always present
inline constexpr std::string_view kAttrBytesRead = "query.bytes_read";    // int, always present
inline constexpr std::string_view kAttrDurationMs = "query.duration_ms";  // double, always present
inline constexpr std::string_view kAttrQueryStatus = "query.status";      // OutcomeName(), always present
inline constexpr std::string_view kAttrQueryError = "query.error";

inline constexpr size_t kMaxQueryTextBytes = 16 * 1024;
inline constexpr size_t kMaxFieldBytes = 2 * 1024;

// `now_ns` stands in for event.time_ns == 0. Never fails.
std::string EncodeAuditRecord(const SessionEvent& event, uint64_t now_ns);
std::string EncodeAuditRecord(const QueryEvent& event, uint64_t now_ns);

// Redacts, cuts to at most `max_bytes` (whole code points) and repairs UTF-8:
// what every string of a record goes through.
std::string CleanText(std::string_view text, size_t max_bytes);

}  // namespace otelstack::audit

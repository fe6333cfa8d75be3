#include "audit/audit_record.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>

#include "audit/redact.h"

namespace otelstack::audit {
namespace {

constexpr int kSeverityInfo = 9;   // SEVERITY_NUMBER_INFO
constexpr int kSeverityWarn = 13;  // SEVERITY_NUMBER_WARN
constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence at text[i], or 0 if it is not one
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b = byte(i);
  if (b < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (text.size() - i < len) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

std::string RepairUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t len = Utf8SequenceLength(text, i);
    if (len == 0) {
      out.append(kReplacementChar);
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

// Writes the fixed frame around one log record's fields.
class RecordWriter {
 public:
  RecordWriter() : w_(buf_) {}

  void Begin(uint64_t time_ns, int severity, std::string_view event_name, std::string_view body) {
    w_.StartObject();
    Key("resourceLogs");
    w_.StartArray();
    w_.StartObject();
    Key("resource");
    w_.StartObject();
    Key("attributes");
    w_.StartArray();
    String("service.name", kServiceName);
    w_.EndArray();
    w_.EndObject();
    Key("scopeLogs");
    w_.StartArray();
    w_.StartObject();
    Key("scope");
    w_.StartObject();
    Key("name");
    Str(kScopeName);
    w_.EndObject();
    Key("logRecords");
    w_.StartArray();
    w_.StartObject();
    std::string time = std::to_string(time_ns);  // OTLP/JSON: 64-bit integers as strings
    Key("timeUnixNano");
    Str(time);
    Key("observedTimeUnixNano");
    Str(time);
    Key("severityNumber");
    w_.Int(severity);
    Key("severityText");
    Str(severity == kSeverityWarn ? "WARN" : "INFO");
    Key("eventName");
    Str(event_name);
    Key("body");
    w_.StartObject();
    Key("stringValue");
    Str(CleanText(body, kMaxFieldBytes));
    w_.EndObject();
    Key("attributes");
    w_.StartArray();
  }

  std::string Finish() {
    w_.EndArray();   // attributes
    w_.EndObject();  // log record
    w_.EndArray();   // logRecords
    w_.EndObject();  // scopeLogs[0]
    w_.EndArray();   // scopeLogs
    w_.EndObject();  // resourceLogs[0]
    w_.EndArray();   // resourceLogs
    w_.EndObject();
    return std::string(buf_.GetString(), buf_.GetSize());
  }

  // Attributes. `value` is cleaned here; empty strings are left out.
  void String(std::string_view key, std::string_view value, size_t max_bytes = kMaxFieldBytes) {
    std::string clean = CleanText(value, max_bytes);
    if (clean.empty()) return;
    Attribute(key, "stringValue");
    Str(clean);
    w_.EndObject();
    w_.EndObject();
  }
  void Int(std::string_view key, int64_t value) {
    Attribute(key, "intValue");
    Str(std::to_string(value));
    w_.EndObject();
    w_.EndObject();
  }
  void Double(std::string_view key, double value) {
    Attribute(key, "doubleValue");
    w_.Double(value);  // REQUIRES: finite (the writer refuses NaN and infinities)
    w_.EndObject();
    w_.EndObject();
  }

 private:
  void Key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void Str(std::string_view s) { w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
  void Attribute(std::string_view key, std::string_view value_kind) {
    w_.StartObject();
    Key("key");
    Str(key);
    Key("value");
    w_.StartObject();
    Key(value_kind);
  }

  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

std::string Subject(const std::string& email, int64_t user_id) {
  if (!email.empty()) return email;
  if (user_id != 0) return "user #" + std::to_string(user_id);
  return "unknown user";
}

std::string_view SessionPhrase(SessionEvent::Kind kind) {
  using K = SessionEvent::Kind;
  switch (kind) {
    case K::kLoginSucceeded:
      return "login succeeded for ";
    case K::kLoginFailed:
      return "login failed for ";
    case K::kLogout:
      return "logout of ";
    case K::kSessionExpired:
      return "session expired for ";
    case K::kSessionRevoked:
      return "session revoked for ";
    case K::kRegistered:
      return "registered ";
    case K::kPasswordChanged:
      return "password changed for ";
    case K::kPersonalKeyUsed:
      return "personal key used by ";
    case K::kPersonalKeyCreated:
      return "personal key created by ";
    case K::kPersonalKeyRevoked:
      return "personal key revoked by ";
    case K::kIngestionKeyUsed:
      return "ingestion key used by ";
    case K::kIngestionKeyCreated:
      return "ingestion key created by ";
    case K::kIngestionKeyRevoked:
      return "ingestion key revoked by ";
    case K::kIngestionKeyRevealed:
      return "ingestion key revealed to ";
    case K::kAccessDenied:
      return "access denied for ";
  }
  return "session event for ";
}

bool IsWarning(SessionEvent::Kind kind) {
  return kind == SessionEvent::Kind::kLoginFailed || kind == SessionEvent::Kind::kAccessDenied;
}

std::string FormatMs(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", ms);
  return buf;
}

void CommonAttributes(RecordWriter* w, std::string_view log, std::string_view event_name, const std::string& email,
                      int64_t user_id, int64_t team_id, const std::string& address, const std::string& agent) {
  w->String(kAttrLog, log);
  w->String(kAttrEventName, event_name);
  w->String(kAttrUserEmail, email);
  if (user_id != 0) w->Int(kAttrUserId, user_id);
  if (team_id != 0) w->Int(kAttrTeamId, team_id);
  w->String(kAttrClientAddress, address);
  w->String(kAttrUserAgent, agent);
}

}  // namespace

std::string CleanText(std::string_view text, size_t max_bytes) {
  std::string clean = RepairUtf8(RedactSecrets(text));
  if (clean.size() > max_bytes) {
    size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) --cut;  // not inside a code point
    clean.resize(cut);
  }
  return clean;
}

std::string EncodeAuditRecord(const SessionEvent& e, uint64_t now_ns) {
  std::string_view name = EventName(e.kind);
  std::string body = std::string(SessionPhrase(e.kind)) + Subject(e.user_email, e.user_id);
  if (!e.detail.empty()) body += ": " + e.detail;
  RecordWriter w;
  w.Begin(e.time_ns != 0 ? e.time_ns : now_ns, IsWarning(e.kind) ? kSeverityWarn : kSeverityInfo, name, body);
  CommonAttributes(&w, kSessionLog, name, e.user_email, e.user_id, e.team_id, e.client_address, e.user_agent);
  w.String(kAttrDetail, e.detail);
  return w.Finish();
}

std::string EncodeAuditRecord(const QueryEvent& e, uint64_t now_ns) {
  std::string_view name = EventName(e.kind);
  double duration_ms = e.duration_ms == e.duration_ms && e.duration_ms >= 0 && e.duration_ms < 1e15 ? e.duration_ms : 0;
  std::string source = !e.source_name.empty() ? e.source_name : !e.source_id.empty() ? e.source_id : "no source";
  std::string body = Subject(e.user_email, e.user_id) + " ran a " + std::string(KindName(e.kind)) + " on " + source +
                     ": " + std::string(OutcomeName(e.outcome)) + ", " + std::to_string(e.rows_read) +
                     " rows read in " + FormatMs(duration_ms) + " ms";
  if (!e.error.empty()) body += ": " + e.error;
  RecordWriter w;
  w.Begin(e.time_ns != 0 ? e.time_ns : now_ns, e.outcome == QueryEvent::Outcome::kError ? kSeverityWarn : kSeverityInfo,
          name, body);
  CommonAttributes(&w, kQueryLog, name, e.user_email, e.user_id, e.team_id, e.client_address, e.user_agent);
  w.String(kAttrQueryText, e.query_text, kMaxQueryTextBytes);
  w.String(kAttrQueryLanguage, e.query_language);
  w.String(kAttrQueryKind, KindName(e.kind));
  w.String(kAttrSourceId, e.source_id);
  w.String(kAttrSourceName, e.source_name);
  w.Int(kAttrRowsRead, static_cast<int64_t>(std::min<uint64_t>(e.rows_read, INT64_MAX)));
  w.Int(kAttrBytesRead, static_cast<int64_t>(std::min<uint64_t>(e.bytes_read, INT64_MAX)));
  w.Double(kAttrDurationMs, duration_ms);
  w.String(kAttrQueryStatus, OutcomeName(e.outcome));
  w.String(kAttrQueryError, e.error);
  return w.Finish();
}

}  // namespace otelstack::audit

// EncodeAuditRecord: the OTLP/JSON bytes of one event decode (with the
// ordinary OTLP decoder) into one log row with the documented layout.
#include "audit/audit_record.h"

#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <string>

#include "audit_test_util.h"
#include "otlp/decode.h"

namespace otelstack::audit {
namespace {

using test::Column;
using test::DoubleAttr;
using test::HasAttr;
using test::IntAttr;
using test::ResourceAttr;
using test::Row;
using test::StrAttr;

constexpr uint64_t kNow = 1'750'000'000'123'456'789ull;

Row Decode(const std::string& body) {
  otlp::DecodeResult decoded;
  Status s = otlp::Decode(Signal::kLogs, otlp::Encoding::kJson, body, kNow, &decoded);
  EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << body;
  if (!s.ok()) return nullptr;
  EXPECT_EQ(decoded.rejected, 0u);
  EXPECT_EQ(decoded.batch->rows(), 1u);
  return test::ParseRow(*decoded.batch, 0);
}

TEST(AuditRecordTest, SessionEventLayout) {
  SessionEvent e;
  e.kind = SessionEvent::Kind::kLoginFailed;
  e.user_email = "alice@example.com";
  e.user_id = 42;
  e.team_id = 7;
  e.client_address = "203.0.113.9";
  e.user_agent = "Mozilla/5.0 (X11; Linux x86_64)";
  e.detail = "wrong password";
  Row row = Decode(EncodeAuditRecord(e, kNow));
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(Column(row, "Timestamp"), "2025-06-15T15:06:40.123456789Z");
  EXPECT_EQ(Column(row, "ObservedTimestamp"), "2025-06-15T15:06:40.123456789Z");
  EXPECT_EQ(Column(row, "ServiceName"), "otelstack");
  EXPECT_EQ(ResourceAttr(row, "service.name"), "otelstack");
  EXPECT_EQ(Column(row, "ScopeName"), "otelstack.audit");
  EXPECT_EQ(Column(row, "SeverityText"), "WARN");
  EXPECT_EQ((*row)["SeverityNumber"].GetInt64(), 13);
  EXPECT_EQ(Column(row, "EventName"), "login.failed");
  EXPECT_EQ(Column(row, "Body"), "login failed for alice@example.com: wrong password");
  EXPECT_EQ(StrAttr(row, "audit.log"), "session_log");
  EXPECT_EQ(StrAttr(row, "event.name"), "login.failed");
  EXPECT_EQ(StrAttr(row, "user.email"), "alice@example.com");
  EXPECT_EQ(IntAttr(row, "user.id"), 42);
  EXPECT_EQ(IntAttr(row, "team.id"), 7);
  EXPECT_EQ(StrAttr(row, "client.address"), "203.0.113.9");
  EXPECT_EQ(StrAttr(row, "user_agent.original"), "Mozilla/5.0 (X11; Linux x86_64)");
  EXPECT_EQ(StrAttr(row, "audit.detail"), "wrong password");
  EXPECT_FALSE(HasAttr(row, "query.text"));
}

TEST(AuditRecordTest, UnknownFieldsAreLeftOutAndSuccessIsInfo) {
  SessionEvent e;
  e.kind = SessionEvent::Kind::kLogout;
  e.time_ns = 1'000'000'000;
  Row row = Decode(EncodeAuditRecord(e, kNow));
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(Column(row, "Timestamp"), "1970-01-01T00:00:01.000000000Z") << "the event's own time wins";
  EXPECT_EQ(Column(row, "SeverityText"), "INFO");
  EXPECT_EQ((*row)["SeverityNumber"].GetInt64(), 9);
  EXPECT_EQ(Column(row, "Body"), "logout of unknown user");
  for (const char* key :
       {"user.email", "user.id", "team.id", "client.address", "user_agent.original", "audit.detail"}) {
    EXPECT_FALSE(HasAttr(row, key)) << key;
  }
  EXPECT_EQ(StrAttr(row, "event.name"), "logout");
}

TEST(AuditRecordTest, EveryKindHasADistinctName) {
  std::set<std::string> names;
  for (int k = 0; k <= static_cast<int>(SessionEvent::Kind::kAccessDenied); ++k) {
    SessionEvent e;
    e.kind = static_cast<SessionEvent::Kind>(k);
    e.user_id = 3;
    Row row = Decode(EncodeAuditRecord(e, kNow));
    ASSERT_NE(row, nullptr);
    names.insert(StrAttr(row, "event.name"));
    EXPECT_NE(Column(row, "Body").find("user #3"), std::string::npos) << Column(row, "Body");
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(SessionEvent::Kind::kAccessDenied) + 1);
}

TEST(AuditRecordTest, QueryEventLayout) {
  QueryEvent e;
  e.kind = QueryEvent::Kind::kChart;
  e.user_email = "bob@example.com";
  e.user_id = 5;
  e.client_address = "::1";
  e.query_text = "level:error AND service:\"checkout\"";
  e.query_language = "lucene";
  e.source_id = "12";
  e.source_name = "Logs";
  e.rows_read = 123456;
  e.bytes_read = 9'876'543'210;
  e.duration_ms = 12.5;
  e.outcome = QueryEvent::Outcome::kError;
  e.error = "query limit exceeded: rows_read";
  Row row = Decode(EncodeAuditRecord(e, kNow));
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(Column(row, "SeverityText"), "WARN");
  EXPECT_EQ(Column(row, "EventName"), "query.chart");
  EXPECT_EQ(Column(row, "Body"),
            "bob@example.com ran a chart on Logs: error, 123456 rows read in 12.5 ms: query limit exceeded: rows_read");
  EXPECT_EQ(StrAttr(row, "audit.log"), "query_log");
  EXPECT_EQ(StrAttr(row, "user.email"), "bob@example.com");
  EXPECT_EQ(IntAttr(row, "user.id"), 5);
  EXPECT_EQ(StrAttr(row, "client.address"), "::1");
  EXPECT_EQ(StrAttr(row, "query.text"), "level:error AND service:\"checkout\"");
  EXPECT_EQ(StrAttr(row, "query.language"), "lucene");
  EXPECT_EQ(StrAttr(row, "query.kind"), "chart");
  EXPECT_EQ(StrAttr(row, "source.id"), "12");
  EXPECT_EQ(StrAttr(row, "source.name"), "Logs");
  EXPECT_EQ(IntAttr(row, "query.rows_read"), 123456);
  EXPECT_EQ(IntAttr(row, "query.bytes_read"), 9'876'543'210);
  EXPECT_DOUBLE_EQ(DoubleAttr(row, "query.duration_ms"), 12.5);
  EXPECT_EQ(StrAttr(row, "query.status"), "error");
  EXPECT_EQ(StrAttr(row, "query.error"), "query limit exceeded: rows_read");
}

TEST(AuditRecordTest, QueryCountersAreAlwaysPresent) {
  QueryEvent e;
  e.duration_ms = std::numeric_limits<double>::quiet_NaN();  // a caller bug must not break the record
  Row row = Decode(EncodeAuditRecord(e, kNow));
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(Column(row, "SeverityText"), "INFO");
  EXPECT_EQ(IntAttr(row, "query.rows_read"), 0);
  EXPECT_EQ(IntAttr(row, "query.bytes_read"), 0);
  EXPECT_DOUBLE_EQ(DoubleAttr(row, "query.duration_ms"), 0);
  EXPECT_EQ(StrAttr(row, "query.status"), "ok");
  EXPECT_EQ(StrAttr(row, "query.kind"), "search");
  EXPECT_FALSE(HasAttr(row, "query.error"));
  EXPECT_FALSE(HasAttr(row, "query.text"));
  EXPECT_EQ(Column(row, "Body"), "unknown user ran a search on no source: ok, 0 rows read in 0.0 ms");
}

TEST(AuditRecordTest, HostileStringsStillDecode) {
  SessionEvent e;
  e.kind = SessionEvent::Kind::kLoginFailed;
  e.user_email = std::string("eve\"}]}\n\x01", 9);
  e.user_agent = "bad \xff\xfe utf8 \xe2\x82 cut \xed\xa0\x80 surrogate";
  e.detail = std::string("nul\0byte", 8);
  Row row = Decode(EncodeAuditRecord(e, kNow));
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(StrAttr(row, "user.email"), std::string("eve\"}]}\n\x01", 9));
  EXPECT_EQ(StrAttr(row, "user_agent.original"),
            "bad \xEF\xBF\xBD\xEF\xBF\xBD utf8 \xEF\xBF\xBD\xEF\xBF\xBD cut \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
            "surrogate");
  EXPECT_EQ((*row)["LogAttributes"]["audit.detail"].GetStringLength(), 8u);
}

TEST(AuditRecordTest, LongFieldsAreCutAtCodePoints) {
  QueryEvent e;
  e.query_text = std::string(kMaxQueryTextBytes - 1, 'q') + "\xc3\xa9" + "tail";
  e.user_agent = std::string(10'000, 'z');  // not hex: a long hex run would be redacted
  Row row = Decode(EncodeAuditRecord(e, kNow));
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(StrAttr(row, "query.text"), std::string(kMaxQueryTextBytes - 1, 'q')) << "no half code point";
  EXPECT_EQ(StrAttr(row, "user_agent.original").size(), kMaxFieldBytes);
}

TEST(AuditRecordTest, SecretsAreRedactedBeforeCutting) {
  const std::string key(64, 'a');
  QueryEvent e;
  // The key straddles the cap: cutting first would keep its first half.
  e.query_text = std::string(kMaxQueryTextBytes - 32, 'x') + " " + key;
  e.error = "bad key " + key;
  e.user_agent = "curl Bearer " + key;
  std::string body = EncodeAuditRecord(e, kNow);
  EXPECT_EQ(body.find(key.substr(0, 20)), std::string::npos) << "no part of the key in the encoded record";
  Row row = Decode(body);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(StrAttr(row, "query.error"), "bad key [REDACTED]");
  EXPECT_EQ(StrAttr(row, "user_agent.original"), "curl Bearer [REDACTED]");
  EXPECT_EQ(StrAttr(row, "query.text").substr(kMaxQueryTextBytes - 31), "[REDACTED]");
}

TEST(CleanTextTest, RedactsRepairsAndCuts) {
  EXPECT_EQ(CleanText("plain", 100), "plain");
  EXPECT_EQ(CleanText("a\xc0\xafz", 100), "a\xEF\xBF\xBD\xEF\xBF\xBDz") << "overlong '/' is invalid";
  EXPECT_EQ(CleanText("\xf0\x9f\x98\x80!", 3), "") << "a 4-byte code point does not fit in 3 bytes";
  EXPECT_EQ(CleanText("\xf0\x9f\x98\x80!", 4), "\xf0\x9f\x98\x80");
  EXPECT_EQ(CleanText("osk_" + std::string(64, 'b'), 5), "[REDA");
}

}  // namespace
}  // namespace otelstack::audit

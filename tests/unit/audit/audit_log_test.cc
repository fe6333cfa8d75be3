// AuditLog end to end: events recorded, stored at <data_dir>/audit, found
// again by the query engine; kept across a crash (WAL replay); dropped and
// counted when the store refuses them; never holding a secret on disk.
#include "audit/audit_log.h"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "audit/audit_record.h"
#include "audit_test_util.h"
#include "test_util/run_and_crash.h"
#include "test_util/temp_dir.h"

namespace otelstack::audit {
namespace {

using otelstack::test::TempDir;
using test::Column;
using test::DoubleAttr;
using test::HasAttr;
using test::IntAttr;
using test::Row;
using test::SearchAudit;
using test::StrAttr;

std::unique_ptr<AuditLog> OpenLog(const std::string& data_dir) {
  auto log = AuditLog::Open(data_dir, FsyncPolicy::kAlways);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return log.ok() ? std::move(log.value()) : nullptr;
}

SessionEvent Session(SessionEvent::Kind kind, const std::string& email, int64_t user_id, const std::string& detail) {
  SessionEvent e;
  e.kind = kind;
  e.user_email = email;
  e.user_id = user_id;
  e.client_address = "198.51.100.7";
  e.user_agent = "otelstack-test/1.0";
  e.detail = detail;
  return e;
}

QueryEvent Query(const std::string& email, const std::string& text, QueryEvent::Kind kind, uint64_t rows) {
  QueryEvent e;
  e.kind = kind;
  e.user_email = email;
  e.user_id = 9;
  e.client_address = "192.0.2.1";
  e.query_text = text;
  e.query_language = "lucene";
  e.source_id = "3";
  e.source_name = "Logs";
  e.rows_read = rows;
  e.bytes_read = rows * 100;
  e.duration_ms = 4.25;
  return e;
}

// Records a fixed mix: four session events and three queries.
void RecordMix(AuditLog* log) {
  using K = SessionEvent::Kind;
  log->Record(Session(K::kLoginSucceeded, "alice@example.com", 1, ""));
  log->Record(Session(K::kLoginFailed, "mallory@example.com", 0, "wrong password"));
  log->Record(Session(K::kPersonalKeyUsed, "alice@example.com", 1, "key 'ci' (id 4)"));
  log->Record(Session(K::kLogout, "alice@example.com", 1, ""));
  log->Record(Query("alice@example.com", "level:error", QueryEvent::Kind::kSearch, 100));
  log->Record(Query("alice@example.com", "SELECT count() FROM logs", QueryEvent::Kind::kChart, 2000));
  QueryEvent failed = Query("bob@example.com", "status:[500 TO", QueryEvent::Kind::kSearch, 0);
  failed.outcome = QueryEvent::Outcome::kError;
  failed.error = "at position 15: unterminated range";
  log->Record(failed);
}

// Row event.name -> count.
std::map<std::string, int> CountByEvent(const std::vector<Row>& rows) {
  std::map<std::string, int> counts;
  for (const Row& r : rows) ++counts[StrAttr(r, "event.name")];
  return counts;
}

void ExpectMix(const std::string& data_dir) {
  std::vector<Row> sessions = SearchAudit(data_dir, "audit.log:session_log");
  EXPECT_EQ(CountByEvent(sessions), (std::map<std::string, int>{
                                        {"login.succeeded", 1},
                                        {"login.failed", 1},
                                        {"personal_key.used", 1},
                                        {"logout", 1},
                                    }));
  std::vector<Row> failed = SearchAudit(data_dir, "audit.log:session_log AND event.name:\"login.failed\"");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(StrAttr(failed[0], "user.email"), "mallory@example.com");
  EXPECT_FALSE(HasAttr(failed[0], "user.id"));
  EXPECT_EQ(StrAttr(failed[0], "client.address"), "198.51.100.7");
  EXPECT_EQ(StrAttr(failed[0], "user_agent.original"), "otelstack-test/1.0");
  EXPECT_EQ(StrAttr(failed[0], "audit.detail"), "wrong password");
  EXPECT_EQ(Column(failed[0], "SeverityText"), "WARN");
  EXPECT_EQ(Column(failed[0], "ServiceName"), "otelstack");
  EXPECT_EQ(Column(failed[0], "Body"), "login failed for mallory@example.com: wrong password");

  std::vector<Row> key_use = SearchAudit(data_dir, "event.name:\"personal_key.used\"");
  ASSERT_EQ(key_use.size(), 1u);
  EXPECT_EQ(IntAttr(key_use[0], "user.id"), 1);
  EXPECT_EQ(StrAttr(key_use[0], "audit.detail"), "key 'ci' (id 4)");

  std::vector<Row> queries = SearchAudit(data_dir, "audit.log:query_log");
  EXPECT_EQ(queries.size(), 3u);
  std::vector<Row> alice = SearchAudit(data_dir, "audit.log:query_log AND user.email:\"alice@example.com\"");
  EXPECT_EQ(alice.size(), 2u);
  std::vector<Row> chart = SearchAudit(data_dir, "query.kind:chart");
  ASSERT_EQ(chart.size(), 1u);
  EXPECT_EQ(StrAttr(chart[0], "query.text"), "SELECT count() FROM logs");
  EXPECT_EQ(StrAttr(chart[0], "query.language"), "lucene");
  EXPECT_EQ(StrAttr(chart[0], "source.id"), "3");
  EXPECT_EQ(StrAttr(chart[0], "source.name"), "Logs");
  EXPECT_EQ(IntAttr(chart[0], "query.rows_read"), 2000);
  EXPECT_EQ(IntAttr(chart[0], "query.bytes_read"), 200000);
  EXPECT_DOUBLE_EQ(DoubleAttr(chart[0], "query.duration_ms"), 4.25);
  EXPECT_EQ(StrAttr(chart[0], "query.status"), "ok");
  std::vector<Row> big = SearchAudit(data_dir, "query.rows_read:>=100");
  EXPECT_EQ(big.size(), 2u) << "numeric attributes compare as numbers";
  std::vector<Row> errors = SearchAudit(data_dir, "query.status:error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(StrAttr(errors[0], "user.email"), "bob@example.com");
  EXPECT_EQ(StrAttr(errors[0], "query.error"), "at position 15: unterminated range");
  EXPECT_EQ(StrAttr(errors[0], "query.text"), "status:[500 TO");

  EXPECT_EQ(SearchAudit(data_dir, "").size(), 7u) << "nothing else in the audit store";
}

TEST(AuditLogTest, RecordsAreSearchableAfterClose) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_NE(log, nullptr);
  RecordMix(log.get());
  ASSERT_TRUE(log->Close().ok());
  EXPECT_EQ(log->recorded(), 7u);
  EXPECT_EQ(log->dropped(), 0u);
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/audit/MANIFEST"));
  EXPECT_GT(log->store().manifest().parts.size(), 0u) << "Close flushed the records into parts";
  ExpectMix(dir.path());
}

TEST(AuditLogTest, RecordsAreSearchableWhileOpen) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_NE(log, nullptr);
  RecordMix(log.get());
  log->WaitForPending();
  EXPECT_EQ(log->recorded(), 7u);
  ExpectMix(dir.path());  // read through the snapshot while the store is live
  ASSERT_TRUE(log->Close().ok());
}

TEST(AuditLogTest, ReopenKeepsOldRecordsAndAddsNew) {
  TempDir dir;
  {
    auto log = OpenLog(dir.path());
    ASSERT_NE(log, nullptr);
    log->Record(Session(SessionEvent::Kind::kRegistered, "carol@example.com", 11, ""));
    ASSERT_TRUE(log->Close().ok());
  }
  auto log = OpenLog(dir.path());
  ASSERT_NE(log, nullptr);
  log->Record(Session(SessionEvent::Kind::kPasswordChanged, "carol@example.com", 11, ""));
  ASSERT_TRUE(log->Close().ok());
  EXPECT_EQ(CountByEvent(SearchAudit(dir.path(), "user.id:11")),
            (std::map<std::string, int>{{"user.registered", 1}, {"password.changed", 1}}));
}

using ::otelstack::test::RunAndCrash;

TEST(AuditLogTest, AcknowledgedRecordsSurviveACrashBeforeFlush) {
  TempDir dir;
  RunAndCrash([&] {
    auto log = AuditLog::Open(dir.path(), FsyncPolicy::kAlways);
    if (!log.ok()) return 1;
    RecordMix(log->get());
    (*log)->WaitForPending();
    if ((*log)->recorded() != 7) return 2;
    if (!(*log)->store().manifest().parts.empty()) return 3;  // really only in the WAL
    return 0;                                                 // no Close: the process ends as if killed
  });
  ExpectMix(dir.path());  // a reader replays the WAL

  // The next server start replays the WAL into the store, keeps recording,
  // and a clean close puts everything in parts, each record once.
  auto log = OpenLog(dir.path());
  ASSERT_NE(log, nullptr);
  log->Record(Session(SessionEvent::Kind::kSessionRevoked, "alice@example.com", 1, "revoked by an admin"));
  ASSERT_TRUE(log->Close().ok());
  EXPECT_GT(log->store().manifest().parts.size(), 0u);
  EXPECT_EQ(SearchAudit(dir.path(), "audit.log:session_log").size(), 5u);
  EXPECT_EQ(SearchAudit(dir.path(), "audit.log:query_log").size(), 3u);
}

TEST(AuditLogTest, RecordAfterCloseIsDroppedAndCounted) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->Close().ok());
  log->Record(Session(SessionEvent::Kind::kLogout, "alice@example.com", 1, ""));
  EXPECT_EQ(log->dropped(), 1u);
  EXPECT_EQ(log->recorded(), 0u);
  EXPECT_TRUE(log->Close().ok()) << "Close is idempotent";
  EXPECT_TRUE(SearchAudit(dir.path(), "").empty());
}

TEST(AuditLogTest, BackPressureDropsInsteadOfBlocking) {
  TempDir dir;
  StoreOptions options;
  options.max_unflushed_bytes = 0;  // any unflushed data refuses the next append
  options.memtable_max_age = std::chrono::seconds(3600);
  auto opened = AuditLog::Open(dir.path(), options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<AuditLog> log = std::move(opened.value());
  constexpr int kEvents = 20;
  for (int i = 0; i < kEvents; ++i) log->Record(Query("alice@example.com", "q" + std::to_string(i), {}, 1));
  log->WaitForPending();
  EXPECT_EQ(log->recorded() + log->dropped(), static_cast<uint64_t>(kEvents)) << "every record accounted for";
  EXPECT_GE(log->recorded(), 1u) << "the first append finds the store empty";
  EXPECT_GE(log->dropped(), 1u) << "the store refused the rest (at least one) as busy";
  ASSERT_TRUE(log->Close().ok());
  EXPECT_EQ(SearchAudit(dir.path(), "audit.log:query_log").size(), log->recorded());
}

// ---- secrets ---------------------------------------------------------------

const std::string kIngestionKey = "5f2b9c0e7d4a1836b2c9e0f7a3d5b8c1e4f7a0b3c6d9e2f5a8b1c4d7e0f3a6b9";
const std::string kPersonalKey = "osk_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";
const std::string kBearerToken = "eyJhbGciOiJIUzI1NiJ9.c2Vzc2lvbg.dGVzdA";

// Every secret-bearing field of both events gets a raw credential.
void RecordSecrets(AuditLog* log) {
  SessionEvent s = Session(SessionEvent::Kind::kIngestionKeyUsed, "alice@example.com", 1,
                           "key " + kIngestionKey + " used; Authorization: Bearer " + kBearerToken);
  s.user_agent = "curl/8.0 " + kPersonalKey;
  log->Record(s);
  QueryEvent q = Query("alice@example.com", "marker-7f3a AND token:" + kIngestionKey + " OR " + kPersonalKey,
                       QueryEvent::Kind::kSearch, 1);
  q.outcome = QueryEvent::Outcome::kError;
  q.error = "unknown field near Bearer " + kBearerToken;
  log->Record(q);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every regular file under the audit directory, concatenated, with the
// number of files read.
std::string AllAuditBytes(const std::string& data_dir, size_t* files) {
  std::string all;
  *files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(AuditLog::StoreDir(data_dir))) {
    if (!entry.is_regular_file()) continue;
    all += ReadFile(entry.path());
    ++*files;
  }
  return all;
}

void ExpectNoSecret(const std::string& haystack, const std::string& where) {
  for (const std::string& secret : {kIngestionKey, kPersonalKey, kPersonalKey.substr(4), kBearerToken}) {
    EXPECT_EQ(haystack.find(secret), std::string::npos) << where << " holds " << secret;
  }
}

void ExpectNoSecretInRows(const std::string& data_dir) {
  std::vector<Row> rows = SearchAudit(data_dir, "");
  ASSERT_EQ(rows.size(), 2u);
  for (const Row& row : rows) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    row->Accept(writer);
    ExpectNoSecret(buffer.GetString(), "a searched row");
  }
  std::vector<Row> query = SearchAudit(data_dir, "audit.log:query_log");
  ASSERT_EQ(query.size(), 1u);
  EXPECT_EQ(StrAttr(query[0], "query.text"), "marker-7f3a AND token:[REDACTED] OR [REDACTED]");
  EXPECT_EQ(StrAttr(query[0], "query.error"), "unknown field near Bearer [REDACTED]");
  std::vector<Row> session = SearchAudit(data_dir, "audit.log:session_log");
  ASSERT_EQ(session.size(), 1u);
  EXPECT_EQ(StrAttr(session[0], "audit.detail"), "key [REDACTED] used; Authorization: Bearer [REDACTED]");
  EXPECT_EQ(StrAttr(session[0], "user_agent.original"), "curl/8.0 [REDACTED]");
}

TEST(AuditLogTest, SecretsNeverReachTheWalOrTheParts) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_NE(log, nullptr);
  RecordSecrets(log.get());
  log->WaitForPending();
  ASSERT_EQ(log->recorded(), 2u);

  // The WAL holds the request bodies uncompressed: the marker shows the scan
  // sees record contents, so a missing secret means it was never written.
  size_t files = 0;
  std::string wal_view = AllAuditBytes(dir.path(), &files);
  EXPECT_GT(files, 0u);
  EXPECT_NE(wal_view.find("marker-7f3a"), std::string::npos) << "the scan does not see the WAL contents";
  ExpectNoSecret(wal_view, "a file under audit/ (WAL)");
  ExpectNoSecretInRows(dir.path());

  // Parts are compressed, so their bytes prove little; the search renders
  // their decompressed rows.
  ASSERT_TRUE(log->Close().ok());
  ASSERT_GT(log->store().manifest().parts.size(), 0u);
  ExpectNoSecret(AllAuditBytes(dir.path(), &files), "a file under audit/ (parts)");
  ExpectNoSecretInRows(dir.path());
}

}  // namespace
}  // namespace otelstack::audit

// The /api/v2 query routes end to end: a real store fed with OTLP/JSON
// through the ingest decoder, a real metadata store with the team's default
// sources (EnsureTeamDefaults), a real audit log; handlers are called
// directly from the route table (the guard is not involved: the Caller is
// given, as the guard would set it).
#include "api/query_routes.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <future>
#include <map>
#include <string>
#include <vector>

#include "api/chart_series.h"
#include "api/connection_model.h"
#include "api/query_limits_settings.h"
#include "api/route.h"
#include "api/services.h"
#include "api/source_model.h"
#include "audit/audit_log.h"
#include "ingest/ingest_service.h"
#include "meta/meta_store.h"
#include "otlp/decode.h"
#include "query/parser/lucene_parser.h"
#include "query/row_json.h"
#include "query/search.h"
#include "store/store.h"
#include "test_util/temp_dir.h"

namespace otelstack::api {
namespace {

// A whole minute (2023-11-14T22:14:00Z), so chart buckets are predictable.
constexpr int64_t kBaseMs = 1'700'000'040'000;
constexpr uint64_t kMsNs = 1'000'000;
const std::string kTraceA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string kTraceB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

struct LogSpec {
  int64_t offset_ms;
  const char* service;
  const char* severity;
  const char* body;
  int64_t status;
  std::string trace_hex;
};

std::string Nanos(int64_t offset_ms) { return std::to_string((kBaseMs + offset_ms) * static_cast<int64_t>(kMsNs)); }

std::string LogsJson(const std::vector<LogSpec>& logs) {
  std::string out = R"({"resourceLogs":[)";
  for (size_t i = 0; i < logs.size(); ++i) {
    const LogSpec& l = logs[i];
    if (i > 0) out += ",";
    out += R"({"resource":{"attributes":[{"key":"service.name","value":{"stringValue":")" + std::string(l.service) +
           R"("}}]},"scopeLogs":[{"scope":{"name":"test"},"logRecords":[{"timeUnixNano":")" + Nanos(l.offset_ms) +
           R"(","severityText":")" + l.severity + R"(","body":{"stringValue":")" + l.body +
           R"("},"attributes":[{"key":"http.status_code","value":{"intValue":")" + std::to_string(l.status) + R"("}}])";
    if (!l.trace_hex.empty()) out += R"(,"traceId":")" + l.trace_hex + R"(","spanId":"0102030405060708")";
    out += "}]}]}";
  }
  return out + "]}";
}

struct SpanSpec {
  std::string trace_hex;
  std::string span_hex;
  const char* service;
  const char* name;
  int64_t offset_ms;
  int64_t duration_ms;
};

std::string TracesJson(const std::vector<SpanSpec>& spans) {
  std::string out = R"({"resourceSpans":[)";
  for (size_t i = 0; i < spans.size(); ++i) {
    const SpanSpec& s = spans[i];
    if (i > 0) out += ",";
    out += R"({"resource":{"attributes":[{"key":"service.name","value":{"stringValue":")" + std::string(s.service) +
           R"("}}]},"scopeSpans":[{"scope":{"name":"test"},"spans":[{"traceId":")" + s.trace_hex + R"(","spanId":")" +
           s.span_hex + R"(","name":")" + s.name + R"(","kind":2,"startTimeUnixNano":")" + Nanos(s.offset_ms) +
           R"(","endTimeUnixNano":")" + Nanos(s.offset_ms + s.duration_ms) + R"("}]}]})";
  }
  return out + "]}";
}

rapidjson::Document ParseJson(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

std::string Str(const rapidjson::Value& v) { return v.IsString() ? v.GetString() : "<not a string>"; }

class QueryRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto meta = meta::MetaStore::Open(dir_.Sub("meta"));
    ASSERT_TRUE(meta.ok()) << meta.status().ToString();
    meta_ = std::move(*meta);

    StoreOptions options;
    options.dir = dir_.Sub("store");
    options.decoder = ingest::DecodeWalEntry;
    options.fsync = FsyncPolicy::kInterval;
    ASSERT_TRUE(Store::Open(options, &store_).ok());

    auto audit = audit::AuditLog::Open(dir_.Sub("audit"), FsyncPolicy::kInterval);
    ASSERT_TRUE(audit.ok()) << audit.status().ToString();
    audit_ = std::move(*audit);

    services_.meta = meta_.get();
    services_.store = store_.get();
    services_.audit = audit_.get();
    services_.audit_store = &audit_->store();

    meta::NewUser admin;
    admin.email = "admin@example.com";
    admin.name = "Admin";
    admin.role = meta::Role::kAdmin;
    admin.password_hash = "x";
    auto registered = meta_->identity().CreateFirstTeam("Team", admin);
    ASSERT_TRUE(registered.ok()) << registered.status().ToString();
    admin_ = registered->admin;
    meta::NewUser viewer = admin;
    viewer.email = "viewer@example.com";
    viewer.role = meta::Role::kViewer;
    auto created = meta_->identity().CreateUser(admin_.team_id, viewer);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    viewer_ = *created;

    ASSERT_TRUE(EnsureTeamDefaults(services_, admin_.team_id).ok());
    auto docs = meta_->documents().List(admin_.team_id, meta::DocumentKind::kSource);
    ASSERT_TRUE(docs.ok());
    for (const meta::Document& doc : *docs) source_ids_[doc.name] = std::to_string(doc.id);
    ASSERT_TRUE(source_ids_.count("Logs") && source_ids_.count("Traces") && source_ids_.count("Audit"));

    AddQueryRoutes(services_, &routes_);
    AddQueryLimitsRoutes(services_, &routes_);

    // Two logs flushed into a part, the rest in the memtable: a snapshot
    // must see both.
    Ingest(Signal::kLogs, LogsJson({
                              {1000, "api", "INFO", "GET /orders 200", 200, kTraceA},
                              {2000, "api", "ERROR", "payment failed: card declined", 500, ""},
                          }));
    ASSERT_TRUE(store_->Flush().ok());
    Ingest(Signal::kLogs, LogsJson({
                              {3000, "db", "WARN", "slow query took 1520 ms", 0, ""},
                              {61000, "api", "ERROR", "connection refused by upstream", 503, kTraceA},
                              {62000, "web", "INFO", "user logged in", 200, ""},
                          }));
    Ingest(Signal::kTraces, TracesJson({
                                {kTraceA, "a000000000000001", "api", "GET /orders", 1000, 100},
                                {kTraceA, "a000000000000002", "api", "charge", 1100, 200},
                                {kTraceA, "a000000000000003", "api", "retry", 61000, 300},
                                {kTraceA, "a000000000000004", "api", "render", 61500, 400},
                                {kTraceB, "b000000000000001", "db", "query", 2000, 1000},
                            }));
  }

  void Ingest(Signal signal, const std::string& json) {
    WalEntry entry;
    entry.signal = signal;
    entry.format = static_cast<uint8_t>(otlp::Encoding::kJson);
    entry.receive_time_ns = ingest::NowNanos();
    entry.payload = json;
    std::shared_ptr<const RowBatch> batch;
    Status s = ingest::DecodeWalEntry(entry, &batch);
    ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << json;
    std::promise<Status> done;
    store_->Append(entry, batch, [&done](const Status& st) { done.set_value(st); });
    s = done.get_future().get();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  const Route& FindRoute(http::Method method, const std::string& pattern) {
    for (const Route& route : routes_) {
      if (route.method == method && route.pattern == pattern) return route;
    }
    ADD_FAILURE() << "no route " << pattern;
    static Route none;
    return none;
  }

  struct CallOptions {
    std::map<std::string, std::string> path_params;
    std::vector<std::pair<std::string, std::string>> query;
    bool cancelled = false;
  };

  http::Response Invoke(http::Method method, const std::string& pattern, const std::string& body,
                        const meta::User& user, const CallOptions& options) {
    const Route& route = FindRoute(method, pattern);
    if (!route.handler) return http::Response::Error(599, "no such route");
    http::Request request;
    request.method = method;
    request.path = pattern;
    request.body = body;
    request.client_address = "192.0.2.7";
    request.path_params = options.path_params;
    request.query = options.query;
    request.headers.emplace_back("User-Agent", "query-routes-test");
    request.cancelled->store(options.cancelled);
    Caller caller;
    caller.user = user;
    Call call{request, &caller};
    return route.handler(call);
  }
  http::Response Post(const std::string& pattern, const std::string& body, const meta::User& user) {
    return Invoke(http::Method::kPost, pattern, body, user, {});
  }

  // A search request body over the whole fixture range.
  std::string SearchBody(const std::string& source, const std::string& extra) {
    return R"({"sourceId":")" + source_ids_[source] + R"(","startTime":)" + std::to_string(kBaseMs) + R"(,"endTime":)" +
           std::to_string(kBaseMs + 3'600'000) + (extra.empty() ? "" : "," + extra) + "}";
  }

  std::vector<std::string> Bodies(const http::Response& response) {
    std::vector<std::string> out;
    rapidjson::Document doc = ParseJson(response.body);
    if (!doc.IsObject() || !doc.HasMember("data")) return out;
    for (const rapidjson::Value& row : doc["data"].GetArray()) out.push_back(Str(row["Body"]));
    return out;
  }

  // The query_log records so far, as rendered rows (newest first).
  std::vector<rapidjson::Document> QueryLog() {
    audit_->WaitForPending();
    std::vector<rapidjson::Document> rows;
    StoreSnapshot snapshot;
    EXPECT_TRUE(audit_->store().Snapshot(Signal::kLogs, &snapshot).ok());
    query::ast::NodePtr root;
    EXPECT_TRUE(query::ParseLucene("audit.log:query_log", &root).ok());
    query::SearchRequest request;
    request.signal = Signal::kLogs;
    request.query = root.get();
    request.limit = 1000;
    EXPECT_TRUE(query::Search(snapshot, request, [&](const RowBatch& batch, size_t row) {
                  std::string json;
                  EXPECT_TRUE(query::AppendRowJson(batch, row, &json).ok());
                  rows.push_back(ParseJson(json));
                }).ok());
    return rows;
  }

  test::TempDir dir_;
  std::unique_ptr<meta::MetaStore> meta_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<audit::AuditLog> audit_;
  ApiServices services_;
  Routes routes_;
  meta::User admin_;
  meta::User viewer_;
  std::map<std::string, std::string> source_ids_;
};

// --- search ------------------------------------------------------------

TEST_F(QueryRoutesTest, SearchLuceneNewestFirst) {
  http::Response r = Post("/api/v2/search", SearchBody("Logs", R"("query":"SeverityText:ERROR")"), viewer_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(Bodies(r), (std::vector<std::string>{"connection refused by upstream", "payment failed: card declined"}));
  rapidjson::Document doc = ParseJson(r.body);
  EXPECT_GT(doc["meta"]["rowsRead"].GetUint64(), 0u);
  EXPECT_FALSE(doc["meta"]["partial"].GetBool());
  EXPECT_TRUE(doc["meta"]["partialReason"].IsNull());
  EXPECT_TRUE(doc["meta"]["durationMs"].IsInt64());

  // Everything, newest first (rows from the part and from the memtable).
  r = Post("/api/v2/search", SearchBody("Logs", ""), viewer_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(Bodies(r),
            (std::vector<std::string>{"user logged in", "connection refused by upstream", "slow query took 1520 ms",
                                      "payment failed: card declined", "GET /orders 200"}));
}

TEST_F(QueryRoutesTest, SearchSql) {
  http::Response r =
      Post("/api/v2/search",
           SearchBody("Logs", R"("query":"ServiceName = 'api' AND http.status_code >= 500","whereLanguage":"sql")"),
           viewer_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(Bodies(r), (std::vector<std::string>{"connection refused by upstream", "payment failed: card declined"}));

  r = Post("/api/v2/search", SearchBody("Logs", R"("query":"x","whereLanguage":"kql")"), viewer_);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_NE(r.body.find("whereLanguage"), std::string::npos) << r.body;
}

TEST_F(QueryRoutesTest, SearchSelectProjection) {
  http::Response r = Post(
      "/api/v2/search",
      SearchBody("Logs", R"("query":"ServiceName:db","select":"Timestamp, ServiceName,http.status_code,no.such.attr")"),
      viewer_);
  ASSERT_EQ(r.status, 200u) << r.body;
  rapidjson::Document doc = ParseJson(r.body);
  ASSERT_EQ(doc["data"].Size(), 1u);
  const rapidjson::Value& row = doc["data"][0];
  ASSERT_EQ(row.MemberCount(), 4u) << r.body;
  EXPECT_EQ(Str(row["Timestamp"]), "2023-11-14T22:14:03.000000000Z");
  EXPECT_EQ(Str(row["ServiceName"]), "db");
  ASSERT_TRUE(row["http.status_code"].IsInt64()) << r.body;
  EXPECT_EQ(row["http.status_code"].GetInt64(), 0);
  EXPECT_TRUE(row["no.such.attr"].IsNull());

  r = Post("/api/v2/search", SearchBody("Logs", R"("select":"ServiceName,,Body")"), viewer_);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_NE(r.body.find("select"), std::string::npos) << r.body;
}

TEST_F(QueryRoutesTest, SearchBadQueryIs400WithPosition) {
  http::Response r = Post("/api/v2/search", SearchBody("Logs", R"("query":"level:error AND (x")"), viewer_);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_NE(r.body.find("position"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("query"), std::string::npos) << r.body;

  r = Post("/api/v2/search", SearchBody("Logs", R"("query":"ServiceName = ","whereLanguage":"sql")"), viewer_);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_NE(r.body.find("position"), std::string::npos) << r.body;
}

TEST_F(QueryRoutesTest, SearchOrderBy) {
  http::Response r = Post("/api/v2/search", SearchBody("Logs", R"("orderBy":"Timestamp DESC")"), viewer_);
  EXPECT_EQ(r.status, 200u) << r.body;
  r = Post("/api/v2/search", SearchBody("Logs", R"("orderBy":"Timestamp desc")"), viewer_);
  EXPECT_EQ(r.status, 200u) << r.body;
  for (const char* bad : {"Timestamp ASC", "Timestamp", "ServiceName DESC", "Timestamp DESC, Body"}) {
    r = Post("/api/v2/search", SearchBody("Logs", std::string(R"("orderBy":")") + bad + "\""), viewer_);
    EXPECT_EQ(r.status, 400u) << bad << ": " << r.body;
    EXPECT_NE(r.body.find("Timestamp DESC"), std::string::npos) << r.body;
  }
}

TEST_F(QueryRoutesTest, SearchTimeRangeRequired) {
  std::string id = source_ids_["Logs"];
  http::Response r = Post("/api/v2/search", R"({"sourceId":")" + id + R"(","endTime":1})", viewer_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(r.body.find("startTime"), std::string::npos) << r.body;
  r = Post("/api/v2/search", R"({"sourceId":")" + id + R"(","startTime":1})", viewer_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(r.body.find("endTime"), std::string::npos) << r.body;
  r = Post("/api/v2/search", R"({"sourceId":")" + id + R"(","startTime":5,"endTime":4})", viewer_);
  EXPECT_EQ(r.status, 400u) << r.body;
  r = Post("/api/v2/search", R"({"sourceId":")" + id + R"(","startTime":-1,"endTime":4})", viewer_);
  EXPECT_EQ(r.status, 400u) << r.body;

  // Inclusive bounds, in milliseconds: exactly the rows at +2s and +3s.
  r = Post("/api/v2/search",
           R"({"sourceId":")" + id + R"(","startTime":)" + std::to_string(kBaseMs + 2000) + R"(,"endTime":)" +
               std::to_string(kBaseMs + 3000) + "}",
           viewer_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(Bodies(r), (std::vector<std::string>{"slow query took 1520 ms", "payment failed: card declined"}));
}

TEST_F(QueryRoutesTest, SearchLimitBounds) {
  EXPECT_EQ(Post("/api/v2/search", SearchBody("Logs", R"("limit":0)"), viewer_).status, 400u);
  EXPECT_EQ(Post("/api/v2/search", SearchBody("Logs", R"("limit":10001)"), viewer_).status, 400u);
  EXPECT_EQ(Post("/api/v2/search", SearchBody("Logs", R"("limit":"5")"), viewer_).status, 400u);
  http::Response r = Post("/api/v2/search", SearchBody("Logs", R"("limit":2)"), viewer_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(Bodies(r), (std::vector<std::string>{"user logged in", "connection refused by upstream"}));
  EXPECT_EQ(Post("/api/v2/search", SearchBody("Logs", R"("limit":10000)"), viewer_).status, 200u);
}

TEST_F(QueryRoutesTest, SearchUnknownSourceAndBadId) {
  http::Response r = Post("/api/v2/search", R"({"sourceId":"999999","startTime":0,"endTime":1})", viewer_);
  EXPECT_EQ(r.status, 404u) << r.body;
  r = Post("/api/v2/search", R"({"sourceId":"abc","startTime":0,"endTime":1})", viewer_);
  EXPECT_EQ(r.status, 400u) << r.body;
  r = Post("/api/v2/search", "not json", viewer_);
  EXPECT_EQ(r.status, 400u) << r.body;
}

TEST_F(QueryRoutesTest, AuditSourceOnlyForAdmins) {
  http::Response r = Post("/api/v2/search", SearchBody("Audit", ""), viewer_);
  EXPECT_EQ(r.status, 403u) << r.body;
  r = Post("/api/v2/search", SearchBody("Audit", ""), admin_);
  EXPECT_EQ(r.status, 200u) << r.body;
}

// A source on a ClickHouse connection is queried on that server: here one
// that is not listening (a closed loopback port), so the answer is 503.
TEST_F(QueryRoutesTest, UnreachableClickHouseSourceIs503) {
  Connection ch;
  ch.name = "prod";
  ch.url = "http://127.0.0.1:1";
  ch.username = "reader";
  meta::Document conn;
  conn.team_id = admin_.team_id;
  conn.kind = meta::DocumentKind::kConnection;
  conn.name = ch.name;
  conn.json = ConnectionStoredJson(ch);
  auto conn_doc = meta_->documents().Insert(conn);
  ASSERT_TRUE(conn_doc.ok()) << conn_doc.status().ToString();
  Source source;
  source.name = "CH logs";
  source.kind = SourceKind::kLog;
  source.connection_id = conn_doc->id;
  source.database = "default";
  source.table = "otel_logs";
  source.expressions["timestampValueExpression"] = "TimestampTime";
  meta::Document doc;
  doc.team_id = admin_.team_id;
  doc.kind = meta::DocumentKind::kSource;
  doc.name = source.name;
  doc.json = SourceJson(source);
  auto source_doc = meta_->documents().Insert(doc);
  ASSERT_TRUE(source_doc.ok());
  http::Response r =
      Post("/api/v2/search", R"({"sourceId":")" + std::to_string(source_doc->id) + R"(","startTime":0,"endTime":1})",
           viewer_);
  EXPECT_EQ(r.status, 503u) << r.body;
  EXPECT_NE(r.body.find("127.0.0.1:1"), std::string::npos) << r.body;

  // A stored source whose expressions would not pass today's checks is
  // refused before the server is asked (400, not 503), naming the field.
  source.name = "CH hostile";
  source.expressions["bodyExpression"] = "msg) FROM system.users --";
  doc.name = source.name;
  doc.json = SourceJson(source);
  auto hostile = meta_->documents().Insert(doc);
  ASSERT_TRUE(hostile.ok());
  r = Post("/api/v2/search", R"({"sourceId":")" + std::to_string(hostile->id) + R"(","startTime":0,"endTime":1})",
           viewer_);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_NE(r.body.find("bodyExpression"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("CH hostile"), std::string::npos) << r.body;

  source.name = "CH wrong kind";
  source.expressions.erase("bodyExpression");
  source.expressions["spanKindExpression"] = "kind";
  doc.name = source.name;
  doc.json = SourceJson(source);
  auto wrong = meta_->documents().Insert(doc);
  ASSERT_TRUE(wrong.ok());
  std::string series = R"({"sourceId":")" + std::to_string(wrong->id) + R"(","aggFn":"count"})";
  r = Post("/api/v2/charts/series", R"({"startTime":0,"endTime":1,"granularity":"1 minute","series":[)" + series + "]}",
           viewer_);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_NE(r.body.find("spanKindExpression: a log source has no such column mapping"), std::string::npos) << r.body;
}

// --- charts ------------------------------------------------------------

std::string ChartBody(const std::string& granularity, const std::string& series) {
  return R"({"startTime":)" + std::to_string(kBaseMs) + R"(,"endTime":)" + std::to_string(kBaseMs + 3'599'999) +
         R"(,"granularity":")" + granularity + R"(","series":[)" + series + "]}";
}

TEST_F(QueryRoutesTest, ChartCountByBucketAndGroup) {
  std::string series = R"({"sourceId":")" + source_ids_["Logs"] + R"(","aggFn":"count","groupBy":["ServiceName"]})";
  for (const char* granularity : {"1 minute", "1m"}) {
    http::Response r = Post("/api/v2/charts/series", ChartBody(granularity, series), viewer_);
    ASSERT_EQ(r.status, 200u) << r.body;
    rapidjson::Document doc = ParseJson(r.body);
    const rapidjson::Value& data = doc["data"];
    // (bucket, group) -> count
    std::vector<std::tuple<int64_t, std::string, int64_t>> got;
    for (const rapidjson::Value& p : data.GetArray()) {
      ASSERT_EQ(p["group"].Size(), 1u);
      got.emplace_back(p["ts_bucket"].GetInt64(), Str(p["group"][0]), p["series_0.data"].GetInt64());
    }
    std::vector<std::tuple<int64_t, std::string, int64_t>> want = {
        {kBaseMs, "api", 2}, {kBaseMs, "db", 1}, {kBaseMs + 60'000, "api", 1}, {kBaseMs + 60'000, "web", 1}};
    EXPECT_EQ(got, want) << r.body;
    EXPECT_EQ(doc["meta"]["partial"].GetBool(), false);
  }
}

TEST_F(QueryRoutesTest, ChartTwoSeriesJoinedOnBucket) {
  std::string logs = source_ids_["Logs"];
  std::string series = R"({"sourceId":")" + logs + R"(","aggFn":"count"},)" + R"({"sourceId":")" + logs +
                       R"(","aggFn":"count","where":"SeverityText:ERROR"})";
  http::Response r = Post("/api/v2/charts/series", ChartBody("30 second", series), viewer_);
  ASSERT_EQ(r.status, 200u) << r.body;
  rapidjson::Document doc = ParseJson(r.body);
  ASSERT_EQ(doc["data"].Size(), 2u) << r.body;
  EXPECT_EQ(doc["data"][0]["ts_bucket"].GetInt64(), kBaseMs);
  EXPECT_EQ(doc["data"][0]["group"].Size(), 0u);
  EXPECT_EQ(doc["data"][0]["series_0.data"].GetInt64(), 3);
  EXPECT_EQ(doc["data"][0]["series_1.data"].GetInt64(), 1);
  EXPECT_EQ(doc["data"][1]["ts_bucket"].GetInt64(), kBaseMs + 60'000);
  EXPECT_EQ(doc["data"][1]["series_0.data"].GetInt64(), 2);
  EXPECT_EQ(doc["data"][1]["series_1.data"].GetInt64(), 1);
}

TEST_F(QueryRoutesTest, ChartQuantilesOfDuration) {
  std::string traces = source_ids_["Traces"];
  std::string series = R"({"sourceId":")" + traces + R"(","aggFn":"p99","field":"Duration"},)" + R"({"sourceId":")" +
                       traces + R"(","aggFn":"quantile","level":0.5,"field":"Duration"})";
  http::Response r = Post("/api/v2/charts/series", ChartBody("1 day", series), viewer_);
  ASSERT_EQ(r.status, 200u) << r.body;
  rapidjson::Document doc = ParseJson(r.body);
  ASSERT_EQ(doc["data"].Size(), 1u) << r.body;
  // Durations 100, 200, 300, 400, 1000 ms, in ns: p99 takes index
  // floor(0.99 * 5) = 4, the median index 2.
  EXPECT_DOUBLE_EQ(doc["data"][0]["series_0.data"].GetDouble(), 1e9) << r.body;
  EXPECT_DOUBLE_EQ(doc["data"][0]["series_1.data"].GetDouble(), 3e8) << r.body;
}

TEST_F(QueryRoutesTest, ChartValidation) {
  std::string logs = source_ids_["Logs"];
  auto status = [&](const std::string& granularity, const std::string& series) {
    return Post("/api/v2/charts/series", ChartBody(granularity, series), viewer_).status;
  };
  std::string count = R"({"sourceId":")" + logs + R"(","aggFn":"count"})";
  EXPECT_EQ(status("7 fortnights", count), 400u);
  EXPECT_EQ(status("1 second", count), 200u);  // 3600 buckets
  EXPECT_EQ(status("auto", count), 200u);
  EXPECT_EQ(status("1m", ""), 400u);  // no series
  EXPECT_EQ(status("1m", count + "," + count + "," + count + "," + count + "," + count + "," + count), 400u);
  EXPECT_EQ(status("1m", R"({"sourceId":")" + logs + R"(","aggFn":"sum"})"), 400u);  // no field
  EXPECT_EQ(status("1m", R"({"sourceId":")" + logs + R"(","aggFn":"last_value","field":"x"})"), 400u);
  EXPECT_EQ(status("1m", R"({"sourceId":")" + logs + R"(","aggFn":"quantile","field":"x"})"), 400u);  // no level
  EXPECT_EQ(status("1m", count + R"(,{"sourceId":")" + logs + R"(","aggFn":"count","groupBy":["ServiceName"]})"),
            400u);  // groupBy differs
  http::Response r =
      Post("/api/v2/charts/series",
           ChartBody("1m", R"({"sourceId":")" + logs + R"(","aggFn":"count","where":"a AND"})"), viewer_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(r.body.find("series[0].where"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("position"), std::string::npos) << r.body;
}

TEST(ParseGranularityTest, Forms) {
  const uint64_t hour = 3'600'000'000'000;
  EXPECT_EQ(ParseGranularity("30 second", 0, hour).value(), 30'000'000'000u);
  EXPECT_EQ(ParseGranularity("30s", 0, hour).value(), 30'000'000'000u);
  EXPECT_EQ(ParseGranularity("5 minute", 0, hour).value(), 300'000'000'000u);
  EXPECT_EQ(ParseGranularity("12 hour", 0, hour).value(), 12 * hour);
  EXPECT_EQ(ParseGranularity("1d", 0, hour).value(), 24 * hour);
  EXPECT_GT(ParseGranularity("auto", 0, hour).value(), 0u);
  EXPECT_FALSE(ParseGranularity("0s", 0, hour).ok());
  EXPECT_FALSE(ParseGranularity("1 week", 0, hour).ok());
  EXPECT_FALSE(ParseGranularity("s", 0, hour).ok());
  EXPECT_FALSE(ParseGranularity("1s", 0, 1000 * hour).ok());  // too many buckets
}

// --- traces ------------------------------------------------------------

TEST_F(QueryRoutesTest, TraceById) {
  CallOptions options;
  options.path_params["traceId"] = kTraceA;
  http::Response r = Invoke(http::Method::kGet, "/api/v2/traces/:traceId", "", viewer_, options);
  ASSERT_EQ(r.status, 200u) << r.body;
  rapidjson::Document doc = ParseJson(r.body);
  EXPECT_EQ(Str(doc["trace_id"]), kTraceA);
  ASSERT_EQ(doc["spans"].Size(), 4u) << r.body;
  EXPECT_EQ(Str(doc["spans"][0]["SpanName"]), "GET /orders");  // oldest first
  ASSERT_EQ(doc["logs"].Size(), 2u) << r.body;
  EXPECT_EQ(Str(doc["logs"][0]["Body"]), "GET /orders 200");

  // Explicit trace source; upper-case hex is accepted.
  std::string upper = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  options.path_params["traceId"] = upper;
  options.query = {{"sourceId", source_ids_["Traces"]}};
  r = Invoke(http::Method::kGet, "/api/v2/traces/:traceId", "", viewer_, options);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(ParseJson(r.body)["spans"].Size(), 4u);

  // A log source is not a trace source.
  options.query = {{"sourceId", source_ids_["Logs"]}};
  EXPECT_EQ(Invoke(http::Method::kGet, "/api/v2/traces/:traceId", "", viewer_, options).status, 400u);

  options.query.clear();
  for (const char* bad : {"abc", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    options.path_params["traceId"] = bad;
    EXPECT_EQ(Invoke(http::Method::kGet, "/api/v2/traces/:traceId", "", viewer_, options).status, 400u) << bad;
  }
  options.path_params["traceId"] = "cccccccccccccccccccccccccccccccc";
  EXPECT_EQ(Invoke(http::Method::kGet, "/api/v2/traces/:traceId", "", viewer_, options).status, 404u);
}

// --- facets ------------------------------------------------------------

TEST_F(QueryRoutesTest, Facets) {
  http::Response r =
      Post("/api/v2/facets", SearchBody("Logs", R"("fields":["ServiceName","SeverityText"],"limit":2)"), viewer_);
  ASSERT_EQ(r.status, 200u) << r.body;
  rapidjson::Document doc = ParseJson(r.body);
  ASSERT_EQ(doc["facets"].Size(), 2u) << r.body;
  const rapidjson::Value& services = doc["facets"][0];
  EXPECT_EQ(Str(services["field"]), "ServiceName");
  ASSERT_EQ(services["values"].Size(), 2u) << r.body;  // limit 2: api 3, then db/web 1 (db by value)
  EXPECT_EQ(Str(services["values"][0]["value"]), "api");
  EXPECT_EQ(services["values"][0]["count"].GetUint64(), 3u);
  EXPECT_EQ(Str(services["values"][1]["value"]), "db");

  r = Post("/api/v2/facets", SearchBody("Logs", R"("query":"ServiceName:api","fields":["SeverityText"])"), viewer_);
  ASSERT_EQ(r.status, 200u) << r.body;
  doc = ParseJson(r.body);
  const rapidjson::Value& levels = doc["facets"][0]["values"];
  ASSERT_EQ(levels.Size(), 2u) << r.body;
  EXPECT_EQ(Str(levels[0]["value"]), "ERROR");
  EXPECT_EQ(levels[0]["count"].GetUint64(), 2u);

  EXPECT_EQ(Post("/api/v2/facets", SearchBody("Logs", R"("fields":[])"), viewer_).status, 400u);
  EXPECT_EQ(Post("/api/v2/facets", SearchBody("Logs", ""), viewer_).status, 400u);
  EXPECT_EQ(Post("/api/v2/facets", SearchBody("Logs", R"("fields":[1])"), viewer_).status, 400u);
}

// --- limits, cancellation, audit ----------------------------------------

TEST_F(QueryRoutesTest, RoleLimitsBreakGivesPartial) {
  CallOptions none;
  http::Response r = Invoke(http::Method::kPut, "/api/team/query-settings",
                            R"({"viewer":{"max_rows_to_read":2,"read_overflow_mode":"break"}})", admin_, none);
  ASSERT_EQ(r.status, 200u) << r.body;
  rapidjson::Document settings = ParseJson(r.body);
  EXPECT_EQ(settings["settings"]["viewer"]["max_rows_to_read"].GetUint64(), 2u);
  EXPECT_EQ(Str(settings["effective"]["viewer"]["read_overflow_mode"]), "break");
  EXPECT_FALSE(settings["settings"].HasMember("admin"));

  r = Post("/api/v2/search", SearchBody("Logs", ""), viewer_);
  ASSERT_EQ(r.status, 200u) << r.body;
  rapidjson::Document doc = ParseJson(r.body);
  EXPECT_TRUE(doc["meta"]["partial"].GetBool()) << r.body;
  EXPECT_NE(Str(doc["meta"]["partialReason"]).find("max_rows_to_read"), std::string::npos) << r.body;
  EXPECT_LT(doc["data"].Size(), 5u);

  // The admin role has no settings: unlimited.
  r = Post("/api/v2/search", SearchBody("Logs", ""), admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_FALSE(ParseJson(r.body)["meta"]["partial"].GetBool());
  EXPECT_EQ(Bodies(r).size(), 5u);
}

TEST_F(QueryRoutesTest, RoleLimitsThrowIs429) {
  ASSERT_TRUE(meta_->identity()
                  .SetTeamSetting(admin_.team_id, kQueryLimitsSetting,
                                  R"({"viewer":{"max_rows_to_read":2,"read_overflow_mode":"throw"}})")
                  .ok());
  http::Response r = Post("/api/v2/search", SearchBody("Logs", ""), viewer_);
  EXPECT_EQ(r.status, 429u) << r.body;
  EXPECT_NE(r.body.find("max_rows_to_read"), std::string::npos) << r.body;
  r = Post("/api/v2/charts/series", ChartBody("1m", R"({"sourceId":")" + source_ids_["Logs"] + R"(","aggFn":"count"})"),
           viewer_);
  EXPECT_EQ(r.status, 429u) << r.body;
}

TEST_F(QueryRoutesTest, QuerySettingsValidationAndCeiling) {
  CallOptions none;
  for (const char* bad : {R"({"guest":{}})", R"({"viewer":{"max_rows":1}})",
                          R"({"viewer":{"read_overflow_mode":"explode"}})", R"({"viewer":{"max_rows_to_read":-1}})",
                          R"({"viewer":{"max_execution_time":999999}})", R"({"viewer":3})", "[]"}) {
    http::Response r = Invoke(http::Method::kPut, "/api/team/query-settings", bad, admin_, none);
    EXPECT_EQ(r.status, 400u) << bad << ": " << r.body;
  }
  services_.options.query_ceiling.max_rows_to_read = 1000;
  services_.options.query_defaults.max_execution_time = std::chrono::seconds(10);
  http::Response r = Invoke(http::Method::kPut, "/api/team/query-settings",
                            R"({"editor":{"max_rows_to_read":5000,"max_execution_time":1.5}})", admin_, none);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto editor = LimitsFor(services_, admin_.team_id, meta::Role::kEditor);
  ASSERT_TRUE(editor.ok());
  EXPECT_EQ(editor->max_rows_to_read, 1000u);  // the ceiling wins
  EXPECT_EQ(editor->max_execution_time, std::chrono::milliseconds(1500));
  auto viewer = LimitsFor(services_, admin_.team_id, meta::Role::kViewer);
  ASSERT_TRUE(viewer.ok());
  EXPECT_EQ(viewer->max_rows_to_read, 1000u);  // defaults (unlimited) capped by the ceiling
  EXPECT_EQ(viewer->max_execution_time, std::chrono::seconds(10));

  r = Invoke(http::Method::kGet, "/api/team/query-settings", "", admin_, none);
  ASSERT_EQ(r.status, 200u) << r.body;
  rapidjson::Document doc = ParseJson(r.body);
  EXPECT_DOUBLE_EQ(doc["settings"]["editor"]["max_execution_time"].GetDouble(), 1.5);
  EXPECT_EQ(doc["effective"]["viewer"]["max_rows_to_read"].GetUint64(), 1000u);
}

TEST_F(QueryRoutesTest, CancelledBeforeTheQuery) {
  CallOptions options;
  options.cancelled = true;
  http::Response r = Invoke(http::Method::kPost, "/api/v2/search", SearchBody("Logs", ""), viewer_, options);
  EXPECT_EQ(r.status, 499u) << r.body;

  auto log = QueryLog();
  ASSERT_FALSE(log.empty());
  const rapidjson::Value& attrs = log[0]["LogAttributes"];
  EXPECT_EQ(Str(attrs["query.status"]), "cancelled");
  EXPECT_FALSE(Str(attrs["query.error"]).empty());
}

TEST_F(QueryRoutesTest, QueriesAreRecordedInTheQueryLog) {
  ASSERT_EQ(Post("/api/v2/search", SearchBody("Logs", R"("query":"SeverityText:ERROR")"), viewer_).status, 200u);
  ASSERT_EQ(Post("/api/v2/search", SearchBody("Logs", R"("query":"(")"), viewer_).status, 400u);
  ASSERT_EQ(Post("/api/v2/facets", SearchBody("Logs", R"("fields":["ServiceName"])"), admin_).status, 200u);

  auto log = QueryLog();
  ASSERT_EQ(log.size(), 3u);
  // Newest first: facets, the failed search, the search.
  const rapidjson::Value& facets = log[0]["LogAttributes"];
  EXPECT_EQ(Str(facets["query.kind"]), "facets");
  EXPECT_EQ(Str(facets["user.email"]), "admin@example.com");
  const rapidjson::Value& failed = log[1]["LogAttributes"];
  EXPECT_EQ(Str(failed["query.status"]), "error");
  EXPECT_NE(Str(failed["query.error"]).find("position"), std::string::npos);
  const rapidjson::Value& ok = log[2]["LogAttributes"];
  EXPECT_EQ(Str(ok["query.kind"]), "search");
  EXPECT_EQ(Str(ok["query.status"]), "ok");
  EXPECT_EQ(Str(ok["query.text"]), "SeverityText:ERROR");
  EXPECT_EQ(Str(ok["query.language"]), "lucene");
  EXPECT_EQ(Str(ok["user.email"]), "viewer@example.com");
  EXPECT_EQ(Str(ok["client.address"]), "192.0.2.7");
  EXPECT_EQ(Str(ok["source.id"]), source_ids_["Logs"]);
  EXPECT_EQ(Str(ok["source.name"]), "Logs");
  EXPECT_GT(ok["query.rows_read"].GetInt64(), 0);
}

TEST_F(QueryRoutesTest, WorksWithoutAnAuditLog) {
  services_.audit = nullptr;
  EXPECT_EQ(Post("/api/v2/search", SearchBody("Logs", ""), viewer_).status, 200u);
}

TEST_F(QueryRoutesTest, RoutesDeclareAccess) {
  for (const Route& route : routes_) {
    if (route.pattern.rfind("/api/v2/", 0) == 0) {
      EXPECT_EQ(route.access, Access::kSessionOrKey) << route.pattern;
      EXPECT_EQ(route.role, meta::Role::kViewer) << route.pattern;
    } else {
      EXPECT_EQ(route.access, Access::kSession) << route.pattern;
      EXPECT_EQ(route.role, meta::Role::kAdmin) << route.pattern;
    }
    EXPECT_FALSE(route.summary.empty()) << route.pattern;
  }
  EXPECT_EQ(routes_.size(), 6u);
}

}  // namespace
}  // namespace otelstack::api

#include "api/source_model.h"

#include <gtest/gtest.h>

#include <sstream>

#include "api/connection_model.h"
#include "api/embedded_tables.h"
#include "config_fixture.h"

namespace otelstack::api {
namespace {

using meta::DocumentKind;

const char* kValidSource = R"({"name":"L","kind":"log","connection":"3",
  "from":{"databaseName":"db","tableName":"otel_logs"},"bodyExpression":"Body","extra":{"x":1}})";

TEST(ParseSourceTest, AcceptsHyperDxShapeAndIgnoresUnknownMembers) {
  auto s = ParseSource(kValidSource);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name, "L");
  EXPECT_EQ(s->kind, SourceKind::kLog);
  EXPECT_EQ(s->connection_id, 3);
  EXPECT_EQ(s->database, "db");
  EXPECT_EQ(s->table, "otel_logs");
  EXPECT_EQ(s->expressions.at("bodyExpression"), "Body");
  EXPECT_EQ(s->expressions.size(), 1u);
}

TEST(ParseSourceTest, JsonRoundTrip) {
  auto s = ParseSource(R"({"name":"T","kind":"trace","connection":"4","from":{"tableName":"otel_traces"},
    "durationExpression":"Duration","durationPrecision":6,"logSourceId":"9"})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  s->id = 12;
  std::string json = SourceJson(*s);
  auto back = ParseSource(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->name, "T");
  EXPECT_EQ(back->database, "default");
  EXPECT_EQ(back->duration_precision, 6);
  EXPECT_EQ(back->log_source_id, std::optional<int64_t>(9));
  EXPECT_FALSE(back->trace_source_id.has_value());
  EXPECT_NE(json.find(R"("id":"12")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("connection":"4")"), std::string::npos) << json;
}

struct BadSource {
  const char* json;
  const char* field;  // the error must name it
};

class ParseSourceErrorTest : public ::testing::TestWithParam<BadSource> {};

TEST_P(ParseSourceErrorTest, NamesTheField) {
  auto s = ParseSource(GetParam().json);
  ASSERT_FALSE(s.ok()) << GetParam().json;
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find(GetParam().field), std::string::npos) << s.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    All, ParseSourceErrorTest,
    ::testing::Values(
        BadSource{R"({"kind":"log","connection":"1","from":{"tableName":"t"}})", "name"},
        BadSource{R"({"name":"","kind":"log","connection":"1","from":{"tableName":"t"}})", "name"},
        BadSource{R"({"name":"a","kind":"span","connection":"1","from":{"tableName":"t"}})", "kind"},
        BadSource{R"({"name":"a","kind":"log","from":{"tableName":"t"}})", "connection"},
        BadSource{R"({"name":"a","kind":"log","connection":"x1","from":{"tableName":"t"}})", "connection"},
        BadSource{R"({"name":"a","kind":"log","connection":"1"})", "from"},
        BadSource{R"({"name":"a","kind":"log","connection":"1","from":{}})", "from: tableName"},
        BadSource{R"({"name":"a","kind":"log","connection":"1","from":{"tableName":"t"},"bodyExpression":5})",
                  "bodyExpression"},
        BadSource{R"({"name":"a","kind":"log","connection":"1","from":{"tableName":"t"},"durationPrecision":12})",
                  "durationPrecision"},
        BadSource{R"({"name":"a","kind":"log","connection":"1","from":{"tableName":"t"},"traceSourceId":"-1"})",
                  "traceSourceId"},
        BadSource{R"([1,2])", "request body"}));

TEST(ParseIdTest, AcceptsPositiveDecimalsOnly) {
  EXPECT_EQ(*ParseId("12", "x"), 12);
  EXPECT_FALSE(ParseId("0", "x").ok());
  EXPECT_FALSE(ParseId("", "x").ok());
  EXPECT_FALSE(ParseId("1e3", "x").ok());
  EXPECT_FALSE(ParseId("99999999999999999999", "x").ok());
  EXPECT_EQ(ParseId("a", "source id").status().message(), "source id: not a valid id");
}

TEST(EmbeddedTablesTest, KindMustMatchTable) {
  EXPECT_EQ(ResolveEmbeddedTable(SourceKind::kTrace, "otel_traces")->signal, Signal::kTraces);
  EXPECT_EQ(ResolveEmbeddedTable(SourceKind::kMetric, "otel_metrics")->signal, Signal::kMetrics);
  EXPECT_EQ(ResolveEmbeddedTable(SourceKind::kLog, "otelstack_audit")->backend, SourceTarget::Backend::kAudit);
  EXPECT_FALSE(ResolveEmbeddedTable(SourceKind::kLog, "otel_traces").ok());
  EXPECT_FALSE(ResolveEmbeddedTable(SourceKind::kTrace, "otelstack_audit").ok());
  EXPECT_FALSE(ResolveEmbeddedTable(SourceKind::kLog, "nope").ok());
  auto session = ResolveEmbeddedTable(SourceKind::kSession, "otel_logs");
  ASSERT_FALSE(session.ok());
  EXPECT_NE(session.status().message().find("not supported on the Embedded connection"), std::string::npos);
}

using TeamDefaultsTest = ConfigFixture;

TEST_F(TeamDefaultsTest, CreatedOnceAndLinked) {
  ASSERT_TRUE(EnsureTeamDefaults(services_, team_).ok());  // second and third runs change nothing
  ASSERT_TRUE(EnsureTeamDefaults(services_, team_).ok());
  auto connections = meta_->documents().List(team_, DocumentKind::kConnection);
  ASSERT_TRUE(connections.ok());
  ASSERT_EQ(connections->size(), 1u);
  auto embedded = ConnectionFromDocument(connections->front());
  ASSERT_TRUE(embedded.ok());
  EXPECT_TRUE(embedded->embedded);
  EXPECT_EQ(embedded->name, "Embedded");

  auto docs = meta_->documents().List(team_, DocumentKind::kSource);
  ASSERT_TRUE(docs.ok());
  std::map<std::string, Source> by_name;
  for (const auto& doc : *docs) {
    auto s = ParseSource(doc.json);
    ASSERT_TRUE(s.ok()) << doc.json;
    s->id = doc.id;
    EXPECT_EQ(s->connection_id, embedded->id);
    by_name[s->name] = *s;
  }
  ASSERT_EQ(by_name.size(), 4u);
  const Source& logs = by_name.at("Logs");
  const Source& traces = by_name.at("Traces");
  EXPECT_EQ(logs.table, "otel_logs");
  EXPECT_EQ(traces.table, "otel_traces");
  EXPECT_EQ(by_name.at("Metrics").table, "otel_metrics");
  EXPECT_EQ(by_name.at("Audit").table, "otelstack_audit");
  EXPECT_EQ(logs.trace_source_id, std::optional<int64_t>(traces.id));
  EXPECT_EQ(traces.log_source_id, std::optional<int64_t>(logs.id));
  EXPECT_EQ(traces.duration_precision, 9);
  EXPECT_EQ(traces.expressions.at("durationExpression"), "Duration");
  EXPECT_EQ(logs.expressions.at("bodyExpression"), "Body");
}

// Every default expression is made of the store's column names.
TEST_F(TeamDefaultsTest, ExpressionsAreStoreColumns) {
  auto docs = meta_->documents().List(team_, DocumentKind::kSource);
  ASSERT_TRUE(docs.ok());
  for (const auto& doc : *docs) {
    auto s = ParseSource(doc.json);
    ASSERT_TRUE(s.ok());
    auto target = ResolveEmbeddedTable(s->kind, s->table);
    ASSERT_TRUE(target.ok());
    for (const auto& [field, expression] : s->expressions) {
      std::stringstream columns(expression);
      std::string column;
      while (std::getline(columns, column, ',')) {
        column.erase(0, column.find_first_not_of(' '));
        EXPECT_GE(ColumnIndex(target->signal, column), 0)
            << s->name << "." << field << ": " << column << " is not a column of " << SignalName(target->signal);
      }
    }
  }
}

TEST_F(TeamDefaultsTest, LoadSourceResolvesAndGuardsTheAuditLog) {
  int64_t audit_id = std::stoll(SourceId(admin_, "Audit"));
  int64_t traces_id = std::stoll(SourceId(admin_, "Traces"));
  auto traces = LoadSource(services_, team_, traces_id, meta::Role::kViewer);
  ASSERT_TRUE(traces.ok()) << traces.status().ToString();
  EXPECT_EQ(traces->target.backend, SourceTarget::Backend::kEmbedded);
  EXPECT_EQ(traces->target.signal, Signal::kTraces);

  auto audit = LoadSource(services_, team_, audit_id, meta::Role::kAdmin);
  ASSERT_TRUE(audit.ok()) << audit.status().ToString();
  EXPECT_EQ(audit->target.backend, SourceTarget::Backend::kAudit);
  EXPECT_EQ(LoadSource(services_, team_, audit_id, meta::Role::kEditor).status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(LoadSource(services_, team_ + 1, traces_id, meta::Role::kAdmin).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace otelstack::api

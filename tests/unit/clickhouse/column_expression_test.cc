// CheckColumnExpression (clickhouse/column_expression.h) and the SQL of
// MakeMappedReadMapping (clickhouse/table_layout.h) without a server; the
// mapped reads on a real server are in query/clickhouse_mapped_table_test.
#include "clickhouse/column_expression.h"

#include <gtest/gtest.h>

#include "clickhouse/table_layout.h"

namespace otelstack::clickhouse {
namespace {

TEST(ColumnExpressionTest, AcceptsSingleExpressions) {
  for (const char* e : {
           "ts", "`my col`", "upper(lvl)", "JSONExtractString(Body, 'message')", "LogAttributes['service.name']",
           "(attrs_k, attrs_v)", "arrayMap(x -> lower(x), tags)", "CAST(level AS String)", "EXTRACT(DAY FROM ts)",
           "trim(BOTH ' ' FROM msg)", "if(a = 'x;y', 'FROM', 'SELECT')",
           "CASE WHEN code >= 500 THEN 'Error' ELSE 'Ok' END", "concat(svc, '-', \"quoted ident\")",
           "'it''s' || 'a \\' quote'", "duration_ms / 1000.5", "ts\n  + 1",
           "fromdate",  // a keyword inside a word is no keyword
       }) {
    Status s = CheckColumnExpression(e);
    EXPECT_TRUE(s.ok()) << e << ": " << s.ToString();
  }
}

TEST(ColumnExpressionTest, RefusesHostileInput) {
  struct Case {
    const char* expression;
    const char* why;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"", "empty"},
           {"   ", "empty"},
           {"ts; DROP TABLE t", "';'"},
           {"ts FROM system.users", "FROM is not allowed outside brackets"},
           {"ts from other", "FROM is not allowed outside brackets"},
           {"(SELECT password FROM system.users)", "SELECT is not allowed"},
           {"x IN (select 1)", "SELECT is not allowed"},
           {"ts SETTINGS readonly = 0", "SETTINGS"},
           {"ts FORMAT TabSeparated", "FORMAT"},
           {"ts UNION ALL", "UNION"},
           {"ts INTO OUTFILE '/tmp/x'", "INTO"},
           {"ts, password", "','"},
           {"ts AS Timestamp", "AS is not allowed"},
           {"ts -- the rest is gone", "comments"},
           {"ts /* x */", "comments"},
           {"ts # x", "comments"},
           {"upper(lvl", "'(' is not closed"},
           {"upper(lvl))", "unbalanced ')'"},
           {"arr[1)", "unbalanced ')'"},
           {"'unterminated", "unterminated ' quote"},
           {"`ident", "unterminated ` quote"},
           {"'ends in backslash\\'", "unterminated ' quote"},
           {"$$x$$", "'$'"},
           {"{param:String}", "braces"},
           {"ts\x01", "control characters"},
           {"t1 JOIN t2", "JOIN is not allowed"},
           {"f(x ARRAY JOIN y)", "JOIN is not allowed"},
           {"ts WHERE 1", "WHERE"},
           {"ts LIMIT 1", "LIMIT"},
       }) {
    Status s = CheckColumnExpression(c.expression);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.expression;
    EXPECT_NE(s.message().find(c.why), std::string::npos) << c.expression << ": " << s.message();
  }
  EXPECT_FALSE(CheckColumnExpression(std::string(kMaxColumnExpressionBytes + 1, 'a')).ok());
  EXPECT_TRUE(CheckColumnExpression(std::string(kMaxColumnExpressionBytes, 'a')).ok());
}

TEST(ColumnExpressionTest, IsColumnName) {
  EXPECT_TRUE(IsColumnName("Timestamp", "Timestamp"));
  EXPECT_TRUE(IsColumnName(" `Timestamp` ", "Timestamp"));
  EXPECT_FALSE(IsColumnName("timestamp", "Timestamp"));
  EXPECT_FALSE(IsColumnName("toDateTime(Timestamp)", "Timestamp"));
  EXPECT_FALSE(IsColumnName("`Timestamp", "Timestamp"));
}

SchemaOptions Options(Layout layout) {
  SchemaOptions o;
  o.layout = layout;
  o.database = "db";
  o.tables.logs = "app_logs";
  o.tables.traces = "app_spans";
  return o;
}

TEST(MappedReadMappingTest, CompatReadsMappedColumnsThroughAnInnerSubquery) {
  ColumnMapping mapping;
  mapping.expressions[logs_col::kTimestamp] = "ts";
  mapping.expressions[logs_col::kBody] = "JSONExtractString(Body, 'm')";
  mapping.expressions[logs_col::kLogAttributes] = "(attrs_k, attrs_v)";
  mapping.expressions[logs_col::kServiceName] = "ServiceName";  // its own name: read as it is
  TableColumns columns = {{"app_logs", {"ts", "Body", "attrs_k", "attrs_v", "ServiceName"}}};
  auto m = MakeMappedReadMapping(Signal::kLogs, Options(Layout::kCompat), &columns, mapping);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const std::string from = (*m)->From();
  EXPECT_NE(from.find("toDateTime((ts)) AS `__otelstack_mapped_Timestamp`"), std::string::npos) << from;
  EXPECT_NE(from.find("toUInt64(toDateTime((ts))) * 1000000000 AS `__otelstack_mapped_TimestampNs`"), std::string::npos)
      << from;
  EXPECT_NE(from.find("`__otelstack_mapped_Timestamp` AS `Timestamp`"), std::string::npos) << from;
  EXPECT_NE(from.find("toString((JSONExtractString(Body, 'm'))) AS `__otelstack_mapped_Body`"), std::string::npos)
      << from;
  EXPECT_NE(from.find("tupleElement(((attrs_k, attrs_v)), 1)"), std::string::npos) << from;
  EXPECT_NE(from.find("AS `LogAttributes.keys`"), std::string::npos) << from;
  EXPECT_NE(from.find("FROM `db`.`app_logs`)"), std::string::npos) << from;
  EXPECT_EQ(from.find("__otelstack_mapped_ServiceName"), std::string::npos) << from;
  EXPECT_NE(from.find("`ServiceName`"), std::string::npos) << from;
  EXPECT_NE(from.find("'' AS `SeverityText`"), std::string::npos) << "missing columns are zero values: " << from;
  // The rest of the mapping is the layout's: time on the projected columns.
  EXPECT_EQ((*m)->TimeNs(), "`TimestampNs`");
}

TEST(MappedReadMappingTest, ModernConversionsAndDurationPrecision) {
  ColumnMapping mapping;
  mapping.expressions[traces_col::kTimestamp] = "start";
  mapping.expressions[traces_col::kDuration] = "duration_ms";
  mapping.expressions[traces_col::kTraceId] = "trace";
  mapping.expressions[traces_col::kSpanAttributes] = "attrs";
  mapping.duration_precision = 3;
  auto m = MakeMappedReadMapping(Signal::kTraces, Options(Layout::kModern), nullptr, mapping);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const std::string from = (*m)->From();
  EXPECT_NE(from.find("toDateTime64((start), 9)"), std::string::npos) << from;
  EXPECT_NE(from.find("toUInt64(round((duration_ms) * 1000000))"), std::string::npos) << from;
  EXPECT_NE(from.find("if(match(lower(toString((trace))), '^([0-9a-f][0-9a-f])*$')"), std::string::npos) << from;
  EXPECT_NE(from.find("CAST((attrs) AS Map(String, String))"), std::string::npos) << from;

  // Logs on modern also project TimestampTime (TimeRange prunes on it) from the mapped time.
  ColumnMapping logs;
  logs.expressions[logs_col::kTimestamp] = "ts";
  auto l = MakeMappedReadMapping(Signal::kLogs, Options(Layout::kModern), nullptr, logs);
  ASSERT_TRUE(l.ok());
  EXPECT_NE((*l)->From().find("toDateTime(`__otelstack_mapped_Timestamp`) AS `TimestampTime`"), std::string::npos)
      << (*l)->From();
}

TEST(MappedReadMappingTest, OwnNamesMapNothing) {
  ColumnMapping mapping;
  mapping.expressions[logs_col::kTimestamp] = "Timestamp";
  mapping.expressions[logs_col::kLogAttributes] = "`LogAttributes`";
  auto m = MakeMappedReadMapping(Signal::kLogs, Options(Layout::kCompat), nullptr, mapping);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->From(), MakeReadMapping(Signal::kLogs, Options(Layout::kCompat))->From());
  EXPECT_EQ((*m)->From(), "`db`.`app_logs`");
}

TEST(MappedReadMappingTest, MetricTablesEachApplyTheMapping) {
  ColumnMapping mapping;
  mapping.expressions[metrics_col::kServiceName] = "ResourceAttributes['service.name']";
  auto m = MakeMappedReadMapping(Signal::kMetrics, Options(Layout::kModern), nullptr, mapping);
  ASSERT_TRUE(m.ok());
  const std::string from = (*m)->From();
  size_t n = 0;
  for (size_t at = from.find("toString((ResourceAttributes['service.name']))"); at != std::string::npos;
       at = from.find("toString((ResourceAttributes['service.name']))", at + 1)) {
    ++n;
  }
  EXPECT_EQ(n, 5u) << from;
}

TEST(MappedReadMappingTest, RefusesWhatCannotBeMapped) {
  ColumnMapping events;
  events.expressions[traces_col::kEvents] = "evs";
  auto m = MakeMappedReadMapping(Signal::kTraces, Options(Layout::kCompat), nullptr, events);
  ASSERT_EQ(m.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(m.status().message().find("Events"), std::string::npos) << m.status().ToString();

  ColumnMapping hostile;
  hostile.expressions[logs_col::kBody] = "msg FROM system.users";
  m = MakeMappedReadMapping(Signal::kLogs, Options(Layout::kCompat), nullptr, hostile);
  ASSERT_EQ(m.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(m.status().message().find("Body"), std::string::npos) << m.status().ToString();

  ColumnMapping precision;
  precision.duration_precision = 12;
  EXPECT_FALSE(MakeMappedReadMapping(Signal::kTraces, Options(Layout::kCompat), nullptr, precision).ok());

  ColumnMapping out_of_range;
  out_of_range.expressions[999] = "x";
  EXPECT_FALSE(MakeMappedReadMapping(Signal::kLogs, Options(Layout::kCompat), nullptr, out_of_range).ok());
}

}  // namespace
}  // namespace otelstack::clickhouse

// SQL text of filters (query/clickhouse/sql_filter.h) over a fake mapping:
// literal escaping, injection attempts, the shape of comparisons, text
// matching and LIKE. The semantics are checked against a real server in
// clickhouse_engine_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "query/clickhouse/sql_filter.h"
#include "query/parser/lucene_parser.h"
#include "query/parser/sql_parser.h"
#include "query/planner/binder.h"

namespace otelstack::query::ch {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Column i is `c<i>`; attributes are `m<map>[key]`; text values are `tv`.
class FakeMapping : public clickhouse::ReadMapping {
 public:
  Signal signal() const override { return Signal::kLogs; }
  std::string From() const override { return "t"; }
  std::string TimeNs() const override { return "ts"; }
  std::string TimeRange(uint64_t from, uint64_t to) const override {
    return "ts BETWEEN " + std::to_string(from) + " AND " + std::to_string(to);
  }
  std::string Column(size_t column) const override { return "c" + std::to_string(column); }
  std::string AttributeValue(size_t map, std::string_view key) const override {
    return "m" + std::to_string(map) + "[" + Quote(key) + "]";
  }
  std::string AttributeExists(size_t map, std::string_view key) const override {
    return "has" + std::to_string(map) + "(" + Quote(key) + ")";
  }
  std::string TextValues() const override { return "tv"; }
  std::string RowSelectList() const override { return "*"; }
  Status DecodeRows(std::string_view, RowBatch*) const override { return Status::OK(); }
};

std::string Sql(const std::string& text, bool sql = true) {
  ast::NodePtr root;
  Status s = sql ? ParseSqlWhere(text, &root) : ParseLucene(text, &root);
  if (!s.ok()) return "PARSE ERROR " + s.ToString();
  BoundFilter bound;
  s = BindFilter(Signal::kLogs, root.get(), &bound);
  if (!s.ok()) return "BIND ERROR " + s.ToString();
  FakeMapping m;
  std::string out;
  s = FilterSql(bound, m, &out);
  if (!s.ok()) return "ERROR " + s.ToString();
  return out;
}

// True when every single quote in `sql` either opens/closes a literal or is
// escaped inside one, and no literal is left open: the shape an injection
// would have to break.
bool LiteralsBalanced(const std::string& sql) {
  bool in = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (in && sql[i] == '\\') {
      ++i;
      continue;
    }
    if (sql[i] == '\'') in = !in;
  }
  return !in;
}

// The text outside string literals.
std::string OutsideLiterals(const std::string& sql) {
  std::string out;
  bool in = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (in && sql[i] == '\\') {
      ++i;
      continue;
    }
    if (sql[i] == '\'') {
      in = !in;
      continue;
    }
    if (!in) out.push_back(sql[i]);
  }
  return out;
}

TEST(ClickHouseSqlTest, QuoteEscapesEverythingThatCouldEndALiteral) {
  EXPECT_EQ(Quote("plain"), "'plain'");
  EXPECT_EQ(Quote("it's"), "'it\\'s'");
  EXPECT_EQ(Quote("a\\b"), "'a\\\\b'");
  EXPECT_EQ(Quote("\\'"), "'\\\\\\''");
  EXPECT_EQ(Quote(std::string("n\0l\n", 4)), "'n\\0l\\n'");
  EXPECT_EQ(Quote("naïve"), "'naïve'");
}

TEST(ClickHouseSqlTest, InjectionAttemptsStayInsideLiterals) {
  for (const std::string q :
       {"Body = 'x'' OR 1=1 --'", "Body = 'x\\' OR 1=1 --'", "LogAttributes['k'') OR 1=1 --'] = 'v'",
        "Body LIKE '%'')) OR 1=1; DROP TABLE t; --'", "ServiceName IN ('a'' OR ''1''=''1', 'b')"}) {
    std::string sql = Sql(q);
    EXPECT_THAT(sql, Not(HasSubstr("ERROR"))) << q;
    EXPECT_TRUE(LiteralsBalanced(sql)) << q << " -> " << sql;
    std::string outside = OutsideLiterals(sql);
    EXPECT_THAT(outside, Not(HasSubstr("DROP"))) << sql;
    EXPECT_THAT(outside, Not(HasSubstr("1=1"))) << sql;
    EXPECT_THAT(outside, Not(HasSubstr("--"))) << sql;
  }
  for (const std::string q : {"\"x') OR 1=1 --\"", "x\\'y", "Body:\"a'b\"", "k\\'v:*"}) {
    std::string sql = Sql(q, /*sql=*/false);
    EXPECT_THAT(sql, Not(HasSubstr("ERROR"))) << q;
    EXPECT_TRUE(LiteralsBalanced(sql)) << q << " -> " << sql;
    EXPECT_THAT(OutsideLiterals(sql), Not(HasSubstr("1=1"))) << sql;
  }
}

TEST(ClickHouseSqlTest, StringComparisonsAreBytewise) {
  EXPECT_EQ(Sql("ServiceName = 'api'"), "(c7 = 'api')");
  EXPECT_EQ(Sql("ServiceName >= 'b'"), "(c7 >= 'b')");
}

TEST(ClickHouseSqlTest, NumberAgainstStringParsesStrictly) {
  std::string sql = Sql("http.status_code = 500");
  // The attribute is looked up in the log, resource and scope maps in order.
  EXPECT_THAT(sql, HasSubstr("multiIf(has17('http.status_code'), m17['http.status_code'], has10("));
  EXPECT_THAT(sql, HasSubstr("match("));          // the strict grammar
  EXPECT_THAT(sql, HasSubstr("toInt64OrZero("));  // exact integers
  EXPECT_THAT(sql, HasSubstr("(toInt64(500) = toInt64OrZero("));
  EXPECT_THAT(sql, Not(HasSubstr(" OR NOT ")));                        // unparsable: no match
  EXPECT_THAT(Sql("http.status_code != 500"), HasSubstr(" OR NOT "));  // unparsable: != holds
}

TEST(ClickHouseSqlTest, NumericColumnsCompareExactly) {
  EXPECT_EQ(Sql("SeverityNumber > 5"), "(toInt64(c6) > toInt64(5))");
  EXPECT_EQ(Sql("SeverityNumber > 5.5"), "(toFloat64(toInt64(c6)) > toFloat64(5.5))");
  EXPECT_EQ(Sql("SeverityNumber = -9223372036854775808"), "(toInt64(c6) = toInt64('-9223372036854775808'))");
}

TEST(ClickHouseSqlTest, FreeTextUsesTheTokenizer) {
  std::string token = Sql("error", false);
  EXPECT_THAT(token, HasSubstr("arrayExists(v -> "));
  EXPECT_THAT(token, HasSubstr("extractAll(lower(v), '[^\\\\x00-/:-@\\\\[-`{-\\\\x7f]+')"));
  EXPECT_THAT(token, HasSubstr("' error '"));
  EXPECT_THAT(token, HasSubstr(", tv)"));
  EXPECT_THAT(Sql("err*", false), HasSubstr("' err'"));
  EXPECT_THAT(Sql("*rror", false), HasSubstr("'rror '"));
  EXPECT_THAT(Sql("\"Connection Refused\"", false), HasSubstr("' connection refused '"));
  EXPECT_THAT(Sql("*onnec*", false), HasSubstr("position(lower(v), 'onnec') > 0"));
  EXPECT_THAT(Sql("ServiceName:api", false), Not(HasSubstr("tv")));
}

TEST(ClickHouseSqlTest, LikeBecomesAnAnchoredRegex) {
  EXPECT_EQ(LikeToRegex("a%b_c", false), "(?s)^a.*b.c$");
  EXPECT_EQ(LikeToRegex("100\\%", false), "(?s)^100%$");
  EXPECT_EQ(LikeToRegex("A.B", true), "(?s)^a\\.b$");
  EXPECT_EQ(LikeToRegex("(x)", false), "(?s)^\\(x\\)$");
  // Literal bytes stay themselves, never hex escapes: ClickHouse's
  // required-substring scan misreads "\x2f" as the text "2f" (18.16).
  EXPECT_EQ(LikeToRegex("/api/v_/%", false), "(?s)^/api/v./.*$");
  EXPECT_EQ(LikeToRegex("a\\_b\\\\c", false), "(?s)^a_b\\\\c$");
  EXPECT_EQ(LikeToRegex("|^$[?*+{}]", false), "(?s)^\\|\\^\\$\\[\\?\\*\\+\\{}]$");
  EXPECT_EQ(Sql("Body ILIKE '%ERR%'"), "match(lower(c8), '(?s)^.*err.*$')");
  EXPECT_EQ(Sql("Body NOT LIKE 'a'"), "(NOT match(c8, '(?s)^a$'))");
}

TEST(ClickHouseSqlTest, NullsAndExistence) {
  EXPECT_THAT(Sql("k IS NULL"), HasSubstr("(NOT (has17('k') OR has10('k') OR has15('k')))"));
  EXPECT_EQ(Sql("ServiceName IS NULL"), "0");
  EXPECT_EQ(Sql("Body IS NULL"), "(NOT (c8 != ''))");
  EXPECT_EQ(Sql("ServiceName:*", false), "(c7 != '')");
}

TEST(ClickHouseSqlTest, EveryRowWithoutAFilter) {
  BoundFilter none;
  FakeMapping m;
  std::string out;
  ASSERT_TRUE(FilterSql(none, m, &out).ok());
  EXPECT_EQ(out, "1");
}

}  // namespace
}  // namespace otelstack::query::ch

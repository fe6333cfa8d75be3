#include "query/parser/lucene_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "query/parser/ast.h"

namespace otelstack::query {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The canonical rendering of the parse, "<all>" for an empty query, or
// "ERROR <message>".
std::string Parsed(std::string_view query) {
  ast::NodePtr node;
  Status st = ParseLucene(query, &node);
  if (!st.ok()) return "ERROR " + st.message();
  return node ? ast::ToString(*node) : "<all>";
}

struct ValidCase {
  const char* query;
  const char* expected;
};

constexpr ValidCase kValid[] = {
    // free text
    {"error", R"((TEXT token "error"))"},
    {"err*", R"((TEXT prefix "err"))"},
    {"*rror", R"((TEXT suffix "rror"))"},
    {"*rro*", R"((TEXT substring "rro"))"},
    {"foo-bar", R"((TEXT token "foo-bar"))"},
    {"user@example.com", R"((TEXT token "user@example.com"))"},
    {"/api/v1", R"((TEXT token "/api/v1"))"},
    {"500", R"((TEXT token "500"))"},
    {"a\\*b", R"((TEXT token "a*b"))"},  // escaped star is literal
    {"\\-x", R"((TEXT token "-x"))"},    // escaped '-' is not NOT
    {"a\\ b", R"((TEXT token "a b"))"},  // escaped space
    {"C\\(1\\)", "(TEXT token \"C(1)\")"},
    {"\"connection refused\"", R"((TEXT phrase "connection refused"))"},
    {R"("say \"hi\" \\ now")", R"((TEXT phrase "say \"hi\" \\ now"))"},
    {R"("C:\temp")", R"((TEXT phrase "C:\\temp"))"},  // other backslashes stay
    {"\"err*\"", R"((TEXT phrase "err*"))"},          // no wildcards in phrases
    // URLs and colons in bare words
    {"http://host:8080/path", R"((TEXT token "http://host:8080/path"))"},
    {"https://x.io/a?b=c:d", R"((TEXT token "https://x.io/a?b=c:d"))"},
    {"localhost\\:8080", R"((TEXT token "localhost:8080"))"},
    {"localhost:8080", R"((CMP = (FIELD localhost) 8080))"},
    // field:value
    {"status:500", R"((CMP = (FIELD status) 500))"},
    {"level:error", R"((CMP = (FIELD level) "error"))"},
    {"level: error", R"((CMP = (FIELD level) "error"))"},
    {"status:\"500\"", R"((CMP = (FIELD status) "500"))"},
    {"msg:\"a \\\"b\\\"\"", R"((CMP = (FIELD msg) "a \"b\""))"},
    {"a:\"\"", R"((CMP = (FIELD a) ""))"},
    {"d:1.5e3", R"((CMP = (FIELD d) 1.5e3))"},
    {"d:-5", R"((CMP = (FIELD d) -5))"},
    {"v:1.2.3", R"((CMP = (FIELD v) "1.2.3"))"},
    {"t:12:30", R"((CMP = (FIELD t) "12:30"))"},
    {"url:http://x/y", R"((CMP = (FIELD url) "http://x/y"))"},
    {"ResourceAttributes.k8s.pod.name:web-1", R"((CMP = (FIELD ResourceAttributes.k8s.pod.name) "web-1"))"},
    {"@timestamp:1", R"((CMP = (FIELD @timestamp) 1))"},
    {"a\\:b:c", R"((CMP = (FIELD a:b) "c"))"},
    {"f:a\\*", R"((CMP = (FIELD f) "a*"))"},
    // wildcards on a field
    {"path:/api*", R"((ILIKE (FIELD path) "/api%"))"},
    {"host:*prod", R"((ILIKE (FIELD host) "%prod"))"},
    {"host:*prod*", R"((ILIKE (FIELD host) "%prod%"))"},
    {"f:*50%_a\\\\b*", R"((ILIKE (FIELD f) "%50\\%\\_a\\\\b%"))"},
    {"trace_id:*", R"((EXISTS (FIELD trace_id)))"},
    // comparisons and ranges
    {"duration:>500", R"((CMP > (FIELD duration) 500))"},
    {"duration:>=500", R"((CMP >= (FIELD duration) 500))"},
    {"duration:<0.5", R"((CMP < (FIELD duration) 0.5))"},
    {"duration:<=-1", R"((CMP <= (FIELD duration) -1))"},
    {"name:>\"m\"", R"((CMP > (FIELD name) "m"))"},
    {"code:[200 TO 299]", R"((RANGE (FIELD code) [200 299]))"},
    {"code:{200 TO 299}", R"((RANGE (FIELD code) {200 299}))"},
    {"code:[200 TO 299}", R"((RANGE (FIELD code) [200 299}))"},
    {"code:{200 TO *]", R"((RANGE (FIELD code) {200 *]))"},
    {"code:[* TO 5]", R"((RANGE (FIELD code) [* 5]))"},
    {"code:[ 1  TO  2 ]", R"((RANGE (FIELD code) [1 2]))"},
    {"name:[\"a b\" TO m]", R"((RANGE (FIELD name) ["a b" "m"]))"},
    // field groups
    {"status:(500 OR 503)", R"((OR (CMP = (FIELD status) 500) (CMP = (FIELD status) 503)))"},
    {"status:(500 503)", R"((AND (CMP = (FIELD status) 500) (CMP = (FIELD status) 503)))"},
    {"s:(a* OR \"x y\" OR NOT b)",
     R"((OR (ILIKE (FIELD s) "a%") (CMP = (FIELD s) "x y") (NOT (CMP = (FIELD s) "b"))))"},
    {"s:(a OR (b c))", R"((OR (CMP = (FIELD s) "a") (AND (CMP = (FIELD s) "b") (CMP = (FIELD s) "c"))))"},
    {"d:(>5 OR [1 TO 2])", R"((OR (CMP > (FIELD d) 5) (RANGE (FIELD d) [1 2])))"},
    {"s:(a) b", R"((AND (CMP = (FIELD s) "a") (TEXT token "b")))"},
    // boolean structure
    {"a b", R"((AND (TEXT token "a") (TEXT token "b")))"},
    {"a AND b", R"((AND (TEXT token "a") (TEXT token "b")))"},
    {"a and b", R"((AND (TEXT token "a") (TEXT token "and") (TEXT token "b")))"},
    {"a or b", R"((AND (TEXT token "a") (TEXT token "or") (TEXT token "b")))"},
    {"a OR b", R"((OR (TEXT token "a") (TEXT token "b")))"},
    {"a b OR c", R"((OR (AND (TEXT token "a") (TEXT token "b")) (TEXT token "c")))"},
    {"a OR b c", R"((OR (TEXT token "a") (AND (TEXT token "b") (TEXT token "c"))))"},
    {"a OR b AND c", R"((OR (TEXT token "a") (AND (TEXT token "b") (TEXT token "c"))))"},
    {"NOT a b", R"((AND (NOT (TEXT token "a")) (TEXT token "b")))"},
    {"-a OR b", R"((OR (NOT (TEXT token "a")) (TEXT token "b")))"},
    {"NOT NOT a", R"((NOT (NOT (TEXT token "a"))))"},
    {"--a", R"((NOT (NOT (TEXT token "a"))))"},
    {"-level:debug", R"((NOT (CMP = (FIELD level) "debug")))"},
    {"NOT(a OR b)", R"((NOT (OR (TEXT token "a") (TEXT token "b"))))"},
    {"-\"x y\"", R"((NOT (TEXT phrase "x y")))"},
    {"(a OR b) (c OR d)", R"((AND (OR (TEXT token "a") (TEXT token "b")) (OR (TEXT token "c") (TEXT token "d"))))"},
    {"a AND (b AND c) d", R"((AND (TEXT token "a") (TEXT token "b") (TEXT token "c") (TEXT token "d")))"},
    {"(a OR b) OR (c OR d)", R"((OR (TEXT token "a") (TEXT token "b") (TEXT token "c") (TEXT token "d")))"},
    {"((a))", R"((TEXT token "a"))"},
    {"a\"b c\"", R"((AND (TEXT token "a") (TEXT phrase "b c")))"},
    {"ANDROID ORACLE NOTE", R"((AND (TEXT token "ANDROID") (TEXT token "ORACLE") (TEXT token "NOTE")))"},
    {"NOT:x", R"((CMP = (FIELD NOT) "x"))"},
    {"a-b -c", R"((AND (TEXT token "a-b") (NOT (TEXT token "c"))))"},
    {"  \t error \n ", R"((TEXT token "error"))"},
    {"level:error AND (service:api OR service:web) -\"health check\"",
     R"((AND (CMP = (FIELD level) "error") (OR (CMP = (FIELD service) "api") (CMP = (FIELD service) "web")) )"
     R"((NOT (TEXT phrase "health check"))))"},
    // empty queries match everything
    {"", "<all>"},
    {" \t\n", "<all>"},
};

TEST(LuceneParserTest, ParsesValidQueries) {
  for (const ValidCase& c : kValid) {
    EXPECT_EQ(Parsed(c.query), c.expected) << "query: " << c.query;
  }
}

struct ErrorCase {
  const char* query;
  int position;          // 1-based
  const char* fragment;  // part of the message after the position
};

constexpr ErrorCase kErrors[] = {
    {"a*b", 2, "'*' is only supported at the start or end"},
    {"f:a*b", 4, "'*' is only supported at the start or end"},
    {"**a", 2, "'*' is only supported at the start or end"},
    {"*", 1, "'*' alone is not a search term"},
    {"a **", 3, "'*' alone is not a search term"},
    {"status:", 8, "expected a value after 'status:'"},
    {"status: ", 9, "expected a value after 'status:'"},
    {"(status:)", 9, "expected a value after 'status:', found ')'"},
    {"status:AND", 8, "found the operator 'AND'"},
    {"(a OR b", 8, "expected ')' to close the '(' at position 1"},
    {"x (a (b)", 9, "expected ')' to close the '(' at position 3"},
    {"a)", 2, "unexpected ')' without a matching '('"},
    {"()", 2, "expected a search term after '(', found ')'"},
    {"\"abc", 5, "expected '\"' to close the quote at position 1"},
    {"f:\"abc", 7, "expected '\"' to close the quote at position 3"},
    {"x\\", 2, "'\\' at the end of the query escapes nothing"},
    {"AND a", 1, "expected a search term, found 'AND'"},
    {"a OR", 5, "expected a search term after 'OR', found the end of the query"},
    {"a AND OR b", 7, "expected a search term after 'AND', found 'OR'"},
    {"a OR OR b", 6, "expected a search term after 'OR', found 'OR'"},
    {"NOT", 4, "expected a search term after 'NOT'"},
    {"a NOT", 6, "expected a search term after 'NOT'"},
    {"-", 2, "expected a search term right after '-'"},
    {"a - b", 4, "expected a search term right after '-'"},
    {":x", 1, "expected a field name before ':'"},
    {"a*:b", 2, "a field name cannot contain '*'"},
    {"\"\"", 1, "the phrase is empty"},
    {"c:[1 TO", 8, "expected the upper bound of the range at position 3"},
    {"c:[1 2]", 6, "expected 'TO' after the lower bound of the range at position 3"},
    {"c:[1 to 2]", 6, "expected 'TO'"},
    {"c:[1 TO 2)", 10, "expected ']' or '}' to close the range at position 3"},
    {"c:[ TO 2]", 8, "expected 'TO'"},
    {"c:[1 TO 2*]", 10, "a range bound cannot contain '*'"},
    {"c:[]", 4, "expected the lower bound"},
    {"d:>", 4, "expected a value right after '>'"},
    {"d:>= 5", 5, "expected a value right after '>='"},
    {"d:>a*", 5, "a value compared with '>' cannot contain '*'"},
    {"s:(a OR", 8, "expected a search term after 'OR'"},
    {"s:(a", 5, "expected ')' to close the '(' at position 3"},
};

TEST(LuceneParserTest, RejectsMalformedQueriesWithPosition) {
  for (const ErrorCase& c : kErrors) {
    ast::NodePtr node;
    Status st = ParseLucene(c.query, &node);
    ASSERT_FALSE(st.ok()) << "query: " << c.query << " parsed as " << (node ? ast::ToString(*node) : "<all>");
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << c.query;
    EXPECT_THAT(st.message(), StartsWith("at position " + std::to_string(c.position) + ": ")) << "query: " << c.query;
    EXPECT_THAT(st.message(), HasSubstr(c.fragment)) << "query: " << c.query;
    EXPECT_EQ(node, nullptr) << c.query;
  }
}

TEST(LuceneParserTest, LiteralsCarryNumbersAndPositions) {
  ast::NodePtr node;
  ASSERT_TRUE(ParseLucene("x  http.status_code:-42 d:2.5 big:99999999999999999999 s:\"7\"", &node).ok());
  ASSERT_EQ(node->kind, ast::Node::Kind::kAnd);
  ASSERT_EQ(node->children.size(), 5u);
  EXPECT_EQ(node->pos, 0u);

  const ast::Node& cmp = *node->children[1];
  EXPECT_EQ(cmp.pos, 3u);
  EXPECT_EQ(cmp.children[0]->field.name, "http.status_code");
  EXPECT_EQ(cmp.children[0]->pos, 3u);
  const ast::Literal& int_lit = cmp.children[1]->literal;
  EXPECT_EQ(cmp.children[1]->pos, 20u);
  EXPECT_EQ(int_lit.kind, ast::Literal::Kind::kNumber);
  EXPECT_TRUE(int_lit.is_integer);
  EXPECT_EQ(int_lit.integer, -42);
  EXPECT_EQ(int_lit.number, -42.0);

  const ast::Literal& dbl = node->children[2]->children[1]->literal;
  EXPECT_FALSE(dbl.is_integer);
  EXPECT_EQ(dbl.number, 2.5);

  const ast::Literal& big = node->children[3]->children[1]->literal;
  EXPECT_EQ(big.kind, ast::Literal::Kind::kNumber);
  EXPECT_FALSE(big.is_integer);  // does not fit int64
  EXPECT_DOUBLE_EQ(big.number, 1e20);

  EXPECT_EQ(node->children[4]->children[1]->literal.kind, ast::Literal::Kind::kString);
}

TEST(LuceneParserTest, RangeAndExistsNodeShape) {
  ast::NodePtr node;
  ASSERT_TRUE(ParseLucene("code:{* TO 300]", &node).ok());
  ASSERT_EQ(node->kind, ast::Node::Kind::kRange);
  EXPECT_FALSE(node->lo_inclusive);
  EXPECT_TRUE(node->hi_inclusive);
  ASSERT_EQ(node->children.size(), 3u);
  EXPECT_EQ(node->children[1]->literal.kind, ast::Literal::Kind::kNull);
  EXPECT_EQ(node->children[2]->literal.integer, 300);

  ASSERT_TRUE(ParseLucene("a:*", &node).ok());
  EXPECT_EQ(node->kind, ast::Node::Kind::kExists);
  EXPECT_EQ(node->field.name, "a");
  EXPECT_TRUE(node->children.empty());

  ASSERT_TRUE(ParseLucene("a:x*", &node).ok());
  EXPECT_EQ(node->kind, ast::Node::Kind::kLike);
  EXPECT_TRUE(node->case_insensitive);
  EXPECT_FALSE(node->negated);
}

TEST(LuceneParserTest, ErrorLeavesOutputNull) {
  ast::NodePtr node;
  ASSERT_TRUE(ParseLucene("a", &node).ok());
  ASSERT_NE(node, nullptr);
  EXPECT_FALSE(ParseLucene("(a", &node).ok());
  EXPECT_EQ(node, nullptr);
}

TEST(LuceneParserTest, LimitsQueryLength) {
  std::string ok(16 * 1024, 'a');
  EXPECT_EQ(Parsed(ok).substr(0, 12), "(TEXT token ");
  std::string too_long(16 * 1024 + 1, 'a');
  EXPECT_THAT(Parsed(too_long), StartsWith("ERROR at position 16385: the query is longer than the limit"));
}

TEST(LuceneParserTest, LimitsNestingDepth) {
  auto nested = [](int depth) { return std::string(depth, '(') + "a" + std::string(depth, ')'); };
  EXPECT_EQ(Parsed(nested(64)), R"((TEXT token "a"))");
  EXPECT_THAT(Parsed(nested(65)), StartsWith("ERROR at position 65: the query nests deeper than 64 levels"));

  std::string nots;
  for (int i = 0; i < 200; ++i) nots += "NOT ";
  EXPECT_THAT(Parsed(nots + "a"), HasSubstr("nests deeper than 64 levels"));
  EXPECT_THAT(Parsed(std::string(5000, '-') + "a"), HasSubstr("nests deeper than 64 levels"));
  EXPECT_THAT(Parsed("f:" + nested(100)), HasSubstr("nests deeper than 64 levels"));
}

TEST(LuceneParserTest, LongFlatQueriesFlattenWithoutDeepRecursion) {
  std::string q = "a";
  for (int i = 0; i < 3000; ++i) q += " OR b";
  ast::NodePtr node;
  ASSERT_TRUE(ParseLucene(q, &node).ok());
  EXPECT_EQ(node->kind, ast::Node::Kind::kOr);
  EXPECT_EQ(node->children.size(), 3001u);
}

TEST(LuceneParserTest, ArbitraryBytesAreWordCharacters) {
  std::string q("a\0b \xff\xfe", 6);
  ast::NodePtr node;
  ASSERT_TRUE(ParseLucene(q, &node).ok());
  EXPECT_EQ(ast::ToString(*node), "(AND (TEXT token \"a\\x00b\") (TEXT token \"\xff\xfe\"))");
}

}  // namespace
}  // namespace otelstack::query

#include "query/parser/sql_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "query/parser/ast.h"

namespace otelstack::query {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The canonical rendering of the parse, "<all>" for an empty clause, or
// "ERROR <message>".
std::string Parsed(std::string_view where) {
  ast::NodePtr node;
  Status st = ParseSqlWhere(where, &node);
  if (!st.ok()) return "ERROR " + st.message();
  return node ? ast::ToString(*node) : "<all>";
}

struct ValidCase {
  const char* where;
  const char* expected;
};

constexpr ValidCase kValid[] = {
    // comparisons
    {"ServiceName = 'api'", R"((CMP = (FIELD ServiceName) "api"))"},
    {"a == 1", "(CMP = (FIELD a) 1)"},
    {"a != 1", "(CMP != (FIELD a) 1)"},
    {"a <> 1", "(CMP != (FIELD a) 1)"},
    {"a < 1", "(CMP < (FIELD a) 1)"},
    {"a <= 1", "(CMP <= (FIELD a) 1)"},
    {"a > 1", "(CMP > (FIELD a) 1)"},
    {"a >= 1", "(CMP >= (FIELD a) 1)"},
    {"a>=1", "(CMP >= (FIELD a) 1)"},
    {"1 = a", "(CMP = 1 (FIELD a))"},
    {"a = b", "(CMP = (FIELD a) (FIELD b))"},
    {"a = NULL", "(CMP = (FIELD a) NULL)"},
    {"a = true AND b = FALSE", "(AND (CMP = (FIELD a) 1) (CMP = (FIELD b) 0))"},
    // identifiers
    {"ResourceAttributes.service.name = 'x'", R"((CMP = (FIELD ResourceAttributes.service.name) "x"))"},
    {"_a1.b_2 = 1", "(CMP = (FIELD _a1.b_2) 1)"},
    {"`weird name` = 1", "(CMP = (FIELD weird name) 1)"},
    {"\"dq name\" = 1", "(CMP = (FIELD dq name) 1)"},
    {"`a``b` = 1", "(CMP = (FIELD a`b) 1)"},
    {"`select` = 1", "(CMP = (FIELD select) 1)"},
    {"`AND` = 1", "(CMP = (FIELD AND) 1)"},
    {"LogAttributes['http.method'] = 'GET'", R"((CMP = (FIELD LogAttributes['http.method']) "GET"))"},
    {"`Log Attrs`[ 'k' ] = 'v'", R"((CMP = (FIELD Log Attrs['k']) "v"))"},
    // literals
    {"s = 'it''s'", R"((CMP = (FIELD s) "it's"))"},
    {"s = 'a\\'b\\\\c\\nd\\te'", R"((CMP = (FIELD s) "a'b\\c\nd\te"))"},
    {"s = 'keep \\d'", R"((CMP = (FIELD s) "keep \\d"))"},
    {"s = ''", R"((CMP = (FIELD s) ""))"},
    {"x = 1.5", "(CMP = (FIELD x) 1.5)"},
    {"x = .5", "(CMP = (FIELD x) .5)"},
    {"x = 1e-3", "(CMP = (FIELD x) 1e-3)"},
    {"x = 2E+10", "(CMP = (FIELD x) 2E+10)"},
    {"x = -5", "(CMP = (FIELD x) -5)"},
    {"x = - -5", "(CMP = (FIELD x) 5)"},
    {"x = +5", "(CMP = (FIELD x) 5)"},
    // IN, LIKE, IS NULL
    {"x IN (1, 2, 3)", "(IN (FIELD x) 1 2 3)"},
    {"x in ('a')", R"((IN (FIELD x) "a"))"},
    {"x NOT IN (-1, 2.5, 'a', NULL, TRUE)", R"((NOT-IN (FIELD x) -1 2.5 "a" NULL 1))"},
    {"Body LIKE '%timeout%'", R"((LIKE (FIELD Body) "%timeout%"))"},
    {"Body like 'a\\_%'", R"((LIKE (FIELD Body) "a\\_%"))"},
    {"Body NOT LIKE 'x%'", R"((NOT-LIKE (FIELD Body) "x%"))"},
    {"Body ILIKE 'x%'", R"((ILIKE (FIELD Body) "x%"))"},
    {"Body not ilike 'x%'", R"((NOT-ILIKE (FIELD Body) "x%"))"},
    {"x IS NULL", "(IS-NULL (FIELD x))"},
    {"x is not null", "(IS-NOT-NULL (FIELD x))"},
    {"m['k'] IS NOT NULL", "(IS-NOT-NULL (FIELD m['k']))"},
    // arithmetic and precedence
    {"Duration > 500 * 1000", "(CMP > (FIELD Duration) (* 500 1000))"},
    {"a + b * c = 1", "(CMP = (+ (FIELD a) (* (FIELD b) (FIELD c))) 1)"},
    {"a - b - c = 1", "(CMP = (- (- (FIELD a) (FIELD b)) (FIELD c)) 1)"},
    {"a / b % c = 1", "(CMP = (% (/ (FIELD a) (FIELD b)) (FIELD c)) 1)"},
    {"(a + 1) * 2 > -5", "(CMP > (* (+ (FIELD a) 1) 2) -5)"},
    {"-a > 1", "(CMP > (NEG (FIELD a)) 1)"},
    {"a - -b < 1", "(CMP < (- (FIELD a) (NEG (FIELD b))) 1)"},
    {"-(a + 1) < 1", "(CMP < (NEG (+ (FIELD a) 1)) 1)"},
    {"a + 1 IN (2, 3)", "(IN (+ (FIELD a) 1) 2 3)"},
    // boolean structure
    {"a = 1 AND b = 2", "(AND (CMP = (FIELD a) 1) (CMP = (FIELD b) 2))"},
    {"a = 1 and b = 2 AnD c = 3", "(AND (CMP = (FIELD a) 1) (CMP = (FIELD b) 2) (CMP = (FIELD c) 3))"},
    {"a = 1 OR b = 2 AND c = 3", "(OR (CMP = (FIELD a) 1) (AND (CMP = (FIELD b) 2) (CMP = (FIELD c) 3)))"},
    {"(a = 1 OR b = 2) AND c = 3", "(AND (OR (CMP = (FIELD a) 1) (CMP = (FIELD b) 2)) (CMP = (FIELD c) 3))"},
    {"a = 1 OR (b = 2 OR c = 3)", "(OR (CMP = (FIELD a) 1) (CMP = (FIELD b) 2) (CMP = (FIELD c) 3))"},
    {"NOT a = 1", "(NOT (CMP = (FIELD a) 1))"},
    {"NOT a = 1 AND b = 2", "(AND (NOT (CMP = (FIELD a) 1)) (CMP = (FIELD b) 2))"},
    {"NOT (a = 1 OR b = 2)", "(NOT (OR (CMP = (FIELD a) 1) (CMP = (FIELD b) 2)))"},
    {"not not a = 1", "(NOT (NOT (CMP = (FIELD a) 1)))"},
    {"((a = 1))", "(CMP = (FIELD a) 1)"},
    {" \n a=1 \t", "(CMP = (FIELD a) 1)"},
    {"", "<all>"},
    {"   ", "<all>"},
};

TEST(SqlParserTest, ParsesValidClauses) {
  for (const ValidCase& c : kValid) {
    EXPECT_EQ(Parsed(c.where), c.expected) << "where: " << c.where;
  }
}

struct ErrorCase {
  const char* where;
  int position;          // 1-based
  const char* fragment;  // part of the message after the position
};

constexpr ErrorCase kErrors[] = {
    {"Duration", 9, "expected a comparison (=, !=, <, <=, >, >=, IN, LIKE, ILIKE or IS NULL) after 'Duration'"},
    {"1 + 2", 6, "expected a comparison"},
    {"(a + 1)", 8, "expected a comparison"},
    {"a = 1 AND b", 12, "expected a comparison"},
    {"b AND a = 1", 3, "IS NULL) after 'b', found 'AND'"},
    {"NOT b", 6, "IS NULL) after 'b', found the end of the query"},
    {"'x' OR a = 1", 5, "expected a comparison"},
    {"a =", 4, "expected a value (a column name, a number, a 'string' or '('), found the end of the query"},
    {"a = AND", 5, "expected a value"},
    {"= 1", 1, "expected a value"},
    {"a = 1 b = 2", 7, "expected AND, OR or the end of the query, found 'b'"},
    {"a = 1 = 2", 7, "expected AND, OR or the end of the query, found '='"},
    {"a = (b = 1)", 3, "'=' needs a value on its right, found a condition"},
    {"(a = 1) + 1 = 2", 9, "'+' needs a value on its left, found a condition"},
    {"-(a = 1) = 2", 1, "'-' needs a value on its right"},
    {"x IN ()", 7, "IN takes a list of literal values"},
    {"x IN (y)", 7, "IN takes a list of literal values"},
    {"x IN 1", 6, "expected '(' and a list of values after IN"},
    {"x IN (1, 2", 11, "expected ',' or ')' to close the IN list at position 6"},
    {"x IN (-'a')", 8, "expected a number after the sign"},
    {"x LIKE y", 8, "expected a 'pattern' string after LIKE, found 'y'"},
    {"x ILIKE 5", 9, "expected a 'pattern' string after ILIKE"},
    {"x IS 5", 6, "expected NULL after IS, found '5'"},
    {"x IS NOT 5", 10, "expected NULL after IS NOT"},
    {"x NOT = 1", 7, "expected IN, LIKE or ILIKE after NOT, found '='"},
    {"s = 'abc", 9, "expected ' to close the string at position 5"},
    {"`abc = 1", 9, "expected ` to close the name quoted at position 1"},
    {"\"\" = 1", 1, "a quoted name cannot be empty"},
    {"a.b. = 1", 4, "a name cannot end with '.' or contain '..'"},
    {"a..b = 1", 2, "a name cannot end with '.' or contain '..'"},
    {"12abc = 1", 3, "unexpected 'a' right after the number '12'"},
    {"x = 1.2.3", 8, "unexpected '.' right after the number '1.2'"},
    {"lower(x) = 'a'", 6, "function calls such as 'lower(...)' are not supported"},
    {"m['k' = 1", 7, "expected ']' to close the '[' at position 2"},
    {"m[1] = 1", 3, "expected a 'key' string inside [ ] after 'm', found '1'"},
    {"m['a']['b'] = 1", 7, "only one level of ['key'] access"},
    {"a = 1)", 6, "unexpected ')' without a matching '('"},
    {"(a = 1", 7, "expected ')' to close the '(' at position 1, found the end of the query"},
    {"(a = 1 b", 8, "expected ')' to close the '(' at position 1, found 'b'"},
    {"a ! b", 3, "unexpected '!' (write != for 'not equal', or NOT)"},
    {"a = 1;", 6, "unexpected character ';'"},
    {"a = 1 AND", 10, "expected a value"},
    {"OR a = 1", 1, "expected a value"},
    {"a BETWEEN 1 AND 2", 3, "expected AND, OR or the end of the query, found 'BETWEEN'"},
};

TEST(SqlParserTest, RejectsMalformedClausesWithPosition) {
  for (const ErrorCase& c : kErrors) {
    ast::NodePtr node;
    Status st = ParseSqlWhere(c.where, &node);
    ASSERT_FALSE(st.ok()) << "where: " << c.where << " parsed as " << (node ? ast::ToString(*node) : "<all>");
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << c.where;
    EXPECT_THAT(st.message(), StartsWith("at position " + std::to_string(c.position) + ": ")) << "where: " << c.where;
    EXPECT_THAT(st.message(), HasSubstr(c.fragment)) << "where: " << c.where;
    EXPECT_EQ(node, nullptr) << c.where;
  }
}

TEST(SqlParserTest, NodeShapeAndPositions) {
  ast::NodePtr node;
  ASSERT_TRUE(ParseSqlWhere("x = 1 AND  m['k'] NOT ILIKE 'a%' AND y IS NOT NULL", &node).ok());
  ASSERT_EQ(node->kind, ast::Node::Kind::kAnd);
  ASSERT_EQ(node->children.size(), 3u);

  const ast::Node& like = *node->children[1];
  EXPECT_EQ(like.kind, ast::Node::Kind::kLike);
  EXPECT_EQ(like.pos, 11u);
  EXPECT_TRUE(like.negated);
  EXPECT_TRUE(like.case_insensitive);
  EXPECT_EQ(like.children[0]->field.name, "m");
  EXPECT_TRUE(like.children[0]->field.has_map_key);
  EXPECT_EQ(like.children[0]->field.map_key, "k");
  EXPECT_EQ(like.children[1]->literal.kind, ast::Literal::Kind::kString);
  EXPECT_EQ(like.children[1]->literal.text, "a%");
  EXPECT_EQ(like.children[1]->pos, 28u);

  const ast::Node& is_null = *node->children[2];
  EXPECT_EQ(is_null.kind, ast::Node::Kind::kIsNull);
  EXPECT_TRUE(is_null.negated);
}

TEST(SqlParserTest, NumberLiterals) {
  ast::NodePtr node;
  ASSERT_TRUE(ParseSqlWhere("x IN (-9223372036854775808, 9223372036854775808, 1e2, 0.25, TRUE)", &node).ok());
  ASSERT_EQ(node->children.size(), 6u);
  const ast::Literal& min = node->children[1]->literal;
  EXPECT_TRUE(min.is_integer);
  EXPECT_EQ(min.integer, INT64_MIN);
  const ast::Literal& over = node->children[2]->literal;
  EXPECT_FALSE(over.is_integer);  // does not fit int64
  EXPECT_DOUBLE_EQ(over.number, 9223372036854775808.0);
  const ast::Literal& exp = node->children[3]->literal;
  EXPECT_FALSE(exp.is_integer);  // written with an exponent
  EXPECT_EQ(exp.number, 100.0);
  EXPECT_EQ(node->children[4]->literal.number, 0.25);
  const ast::Literal& truth = node->children[5]->literal;
  EXPECT_EQ(truth.kind, ast::Literal::Kind::kNumber);
  EXPECT_TRUE(truth.is_integer);
  EXPECT_EQ(truth.integer, 1);
}

TEST(SqlParserTest, LimitsQueryLengthAndNesting) {
  std::string too_long = "a = '" + std::string(16 * 1024, 'x') + "'";
  EXPECT_THAT(Parsed(too_long), StartsWith("ERROR at position 16385: the query is longer than the limit"));

  auto nested = [](int depth) { return std::string(depth, '(') + "a = 1" + std::string(depth, ')'); };
  EXPECT_EQ(Parsed(nested(64)), "(CMP = (FIELD a) 1)");
  EXPECT_THAT(Parsed(nested(65)), StartsWith("ERROR at position 65: the query nests deeper than 64 levels"));

  std::string nots;
  for (int i = 0; i < 100; ++i) nots += "NOT ";
  EXPECT_THAT(Parsed(nots + "a = 1"), HasSubstr("nests deeper than 64 levels"));
  EXPECT_THAT(Parsed("a = " + std::string(5000, '-') + "1"), HasSubstr("nests deeper than 64 levels"));
}

TEST(SqlParserTest, LongFlatClausesFlatten) {
  std::string where = "a = 0";
  for (int i = 1; i < 1000; ++i) where += " OR a = " + std::to_string(i);
  ast::NodePtr node;
  ASSERT_TRUE(ParseSqlWhere(where, &node).ok());
  EXPECT_EQ(node->kind, ast::Node::Kind::kOr);
  EXPECT_EQ(node->children.size(), 1000u);
}

TEST(SqlParserTest, LimitsTreeHeightOfOperatorChains) {
  // `a + 1 + 1 ...` is a left-deep tree: one level per operator.
  auto chain = [](int ops) {
    std::string sum = "a";
    for (int i = 0; i < ops; ++i) sum += "+1";
    return sum + " > 0";
  };
  ast::NodePtr node;
  ASSERT_TRUE(ParseSqlWhere(chain(400), &node).ok());
  EXPECT_EQ(node->kind, ast::Node::Kind::kCompare);
  EXPECT_THAT(Parsed(chain(4000)), HasSubstr("the expression nests deeper than 512 levels"));
}

}  // namespace
}  // namespace otelstack::query

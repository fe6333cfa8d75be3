#include "query/parser/sql_parser.h"

#include <string>
#include <vector>

#include "query/parser/parse_support.h"
#include "query/parser/sql_lexer.h"

namespace otelstack::query {
namespace {

using ast::Node;
using ast::NodePtr;
using Kind = ast::Node::Kind;
using parse::ErrorAt;
using sql::Token;
using TokenKind = sql::Token::Kind;

bool IsPredicate(const Node& n) {
  switch (n.kind) {
    case Kind::kField:
    case Kind::kLiteral:
    case Kind::kArith:
    case Kind::kNegate:
      return false;
    default:
      return true;
  }
}

constexpr std::string_view kComparisons = "a comparison (=, !=, <, <=, >, >=, IN, LIKE, ILIKE or IS NULL)";

class SqlParser {
 public:
  explicit SqlParser(std::string_view where) : q_(where), lexer_(where) {}

  Status Parse(NodePtr* out) {
    OTELSTACK_RETURN_IF_ERROR(Advance());
    size_t start = cur_.pos;
    NodePtr root;
    OTELSTACK_RETURN_IF_ERROR(ParseOr(&root));
    if (cur_.kind != TokenKind::kEnd) {
      if (IsSymbol(")")) return ErrorAt(cur_.pos, "unexpected ')' without a matching '('");
      return ErrorAt(cur_.pos, "expected AND, OR or the end of the query, found " + Describe());
    }
    OTELSTACK_RETURN_IF_ERROR(RequirePredicate(*root, start));
    OTELSTACK_RETURN_IF_ERROR(parse::CheckTreeHeight(*root));
    *out = std::move(root);
    return Status::OK();
  }

 private:
  // or := and (OR and)*     Operands are checked to be conditions only when
  // there are several: a lone one may be a parenthesized value, `(a + 1) * 2`.
  Status ParseOr(NodePtr* out) { return ParseBinaryBoolean("OR", Kind::kOr, &SqlParser::ParseAnd, out); }

  // and := not (AND not)*
  Status ParseAnd(NodePtr* out) { return ParseBinaryBoolean("AND", Kind::kAnd, &SqlParser::ParseNot, out); }

  Status ParseBinaryBoolean(std::string_view keyword, Kind kind, Status (SqlParser::*operand)(NodePtr*), NodePtr* out) {
    std::vector<NodePtr> terms(1);
    size_t start = cur_.pos;
    OTELSTACK_RETURN_IF_ERROR((this->*operand)(&terms.back()));
    while (IsKeyword(keyword)) {
      OTELSTACK_RETURN_IF_ERROR(RequirePredicate(*terms.back(), start));
      OTELSTACK_RETURN_IF_ERROR(Advance());
      start = cur_.pos;
      terms.emplace_back();
      OTELSTACK_RETURN_IF_ERROR((this->*operand)(&terms.back()));
      OTELSTACK_RETURN_IF_ERROR(RequirePredicate(*terms.back(), start));
    }
    *out = parse::JoinFlattened(kind, std::move(terms));
    return Status::OK();
  }

  // not := NOT not | predicate
  Status ParseNot(NodePtr* out) {
    if (!IsKeyword("NOT")) return ParsePredicate(out);
    size_t not_pos = cur_.pos;
    parse::DepthGuard depth(&depth_);
    OTELSTACK_RETURN_IF_ERROR(depth.Check(not_pos));
    OTELSTACK_RETURN_IF_ERROR(Advance());
    size_t start = cur_.pos;
    auto node = std::make_unique<Node>(Kind::kNot, not_pos);
    node->children.emplace_back();
    OTELSTACK_RETURN_IF_ERROR(ParseNot(&node->children.back()));
    OTELSTACK_RETURN_IF_ERROR(RequirePredicate(*node->children.back(), start));
    *out = std::move(node);
    return Status::OK();
  }

  // predicate := sum [cmp sum | [NOT] IN (...) | [NOT] [I]LIKE 'p' | IS [NOT] NULL]
  // Without an operator the sum is returned as is (the caller checks it).
  Status ParsePredicate(NodePtr* out) {
    size_t start = cur_.pos;
    NodePtr lhs;
    OTELSTACK_RETURN_IF_ERROR(ParseSum(&lhs));
    if (cur_.kind == TokenKind::kSymbol) {
      ast::CompareOp op;
      if (!CompareOpOf(cur_.text, &op)) {
        *out = std::move(lhs);
        return Status::OK();
      }
      Token op_token = cur_;
      OTELSTACK_RETURN_IF_ERROR(RequireValue(*lhs, op_token, "left"));
      OTELSTACK_RETURN_IF_ERROR(Advance());
      NodePtr rhs;
      OTELSTACK_RETURN_IF_ERROR(ParseSum(&rhs));
      OTELSTACK_RETURN_IF_ERROR(RequireValue(*rhs, op_token, "right"));
      auto node = std::make_unique<Node>(Kind::kCompare, start);
      node->compare_op = op;
      node->children.push_back(std::move(lhs));
      node->children.push_back(std::move(rhs));
      *out = std::move(node);
      return Status::OK();
    }
    if (cur_.kind != TokenKind::kKeyword) {
      *out = std::move(lhs);
      return Status::OK();
    }
    bool negated = false;
    if (IsKeyword("NOT")) {
      OTELSTACK_RETURN_IF_ERROR(Advance());
      if (!IsKeyword("IN") && !IsKeyword("LIKE") && !IsKeyword("ILIKE")) {
        return ErrorAt(cur_.pos, "expected IN, LIKE or ILIKE after NOT, found " + Describe());
      }
      negated = true;
    }
    if (IsKeyword("IN")) return ParseIn(std::move(lhs), start, negated, out);
    if (IsKeyword("LIKE") || IsKeyword("ILIKE")) return ParseLike(std::move(lhs), start, negated, out);
    if (IsKeyword("IS")) return ParseIsNull(std::move(lhs), start, out);
    *out = std::move(lhs);
    return Status::OK();
  }

  Status ParseIn(NodePtr lhs, size_t start, bool negated, NodePtr* out) {
    Token in_token = cur_;
    OTELSTACK_RETURN_IF_ERROR(RequireValue(*lhs, in_token, "left"));
    OTELSTACK_RETURN_IF_ERROR(Advance());
    if (!IsSymbol("(")) return ErrorAt(cur_.pos, "expected '(' and a list of values after IN, found " + Describe());
    size_t open = cur_.pos;
    auto node = std::make_unique<Node>(Kind::kIn, start);
    node->negated = negated;
    node->children.push_back(std::move(lhs));
    do {
      OTELSTACK_RETURN_IF_ERROR(Advance());
      node->children.emplace_back();
      OTELSTACK_RETURN_IF_ERROR(ParseListLiteral(&node->children.back()));
    } while (IsSymbol(","));
    if (!IsSymbol(")")) {
      return ErrorAt(cur_.pos, "expected ',' or ')' to close the IN list at position " + std::to_string(open + 1) +
                                   ", found " + Describe());
    }
    OTELSTACK_RETURN_IF_ERROR(Advance());
    *out = std::move(node);
    return Status::OK();
  }

  // A literal of an IN list: [-|+]number, 'string', NULL, TRUE, FALSE.
  Status ParseListLiteral(NodePtr* out) {
    size_t start = cur_.pos;
    bool minus = false;
    if (IsSymbol("-") || IsSymbol("+")) {
      minus = IsSymbol("-");
      OTELSTACK_RETURN_IF_ERROR(Advance());
      if (cur_.kind != TokenKind::kNumber) {
        return ErrorAt(cur_.pos, "expected a number after the sign in the IN list, found " + Describe());
      }
    }
    if (cur_.kind == TokenKind::kNumber || cur_.kind == TokenKind::kString ||
        (cur_.kind == TokenKind::kKeyword && (cur_.text == "NULL" || cur_.text == "TRUE" || cur_.text == "FALSE"))) {
      NodePtr literal;
      OTELSTACK_RETURN_IF_ERROR(ParsePrimary(&literal));
      *out = minus ? Negated(std::move(literal), start) : std::move(literal);
      if (!minus) (*out)->pos = start;
      return Status::OK();
    }
    return ErrorAt(cur_.pos, "IN takes a list of literal values (numbers, 'strings', NULL), found " + Describe());
  }

  Status ParseLike(NodePtr lhs, size_t start, bool negated, NodePtr* out) {
    Token like_token = cur_;
    OTELSTACK_RETURN_IF_ERROR(RequireValue(*lhs, like_token, "left"));
    OTELSTACK_RETURN_IF_ERROR(Advance());
    if (cur_.kind != TokenKind::kString) {
      return ErrorAt(cur_.pos, "expected a 'pattern' string after " + like_token.text + ", found " + Describe());
    }
    auto node = std::make_unique<Node>(Kind::kLike, start);
    node->negated = negated;
    node->case_insensitive = like_token.text == "ILIKE";
    node->children.push_back(std::move(lhs));
    node->children.push_back(parse::StringLiteral(cur_.text, cur_.pos));
    OTELSTACK_RETURN_IF_ERROR(Advance());
    *out = std::move(node);
    return Status::OK();
  }

  Status ParseIsNull(NodePtr lhs, size_t start, NodePtr* out) {
    Token is_token = cur_;
    OTELSTACK_RETURN_IF_ERROR(RequireValue(*lhs, is_token, "left"));
    OTELSTACK_RETURN_IF_ERROR(Advance());
    auto node = std::make_unique<Node>(Kind::kIsNull, start);
    if (IsKeyword("NOT")) {
      node->negated = true;
      OTELSTACK_RETURN_IF_ERROR(Advance());
    }
    if (!IsKeyword("NULL")) {
      return ErrorAt(cur_.pos,
                     std::string("expected NULL after IS") + (node->negated ? " NOT" : "") + ", found " + Describe());
    }
    OTELSTACK_RETURN_IF_ERROR(Advance());
    node->children.push_back(std::move(lhs));
    *out = std::move(node);
    return Status::OK();
  }

  // sum := product (('+' | '-') product)*
  Status ParseSum(NodePtr* out) {
    return ParseArith({{"+", ast::ArithOp::kAdd}, {"-", ast::ArithOp::kSub}}, &SqlParser::ParseProduct, out);
  }

  // product := unary (('*' | '/' | '%') unary)*
  Status ParseProduct(NodePtr* out) {
    return ParseArith({{"*", ast::ArithOp::kMul}, {"/", ast::ArithOp::kDiv}, {"%", ast::ArithOp::kMod}},
                      &SqlParser::ParseUnary, out);
  }

  struct ArithSymbol {
    std::string_view symbol;
    ast::ArithOp op;
  };

  Status ParseArith(std::initializer_list<ArithSymbol> symbols, Status (SqlParser::*operand)(NodePtr*), NodePtr* out) {
    NodePtr lhs;
    OTELSTACK_RETURN_IF_ERROR((this->*operand)(&lhs));
    for (;;) {
      const ArithSymbol* match = nullptr;
      for (const ArithSymbol& s : symbols) {
        if (IsSymbol(s.symbol)) match = &s;
      }
      if (match == nullptr) break;
      Token op_token = cur_;
      OTELSTACK_RETURN_IF_ERROR(RequireValue(*lhs, op_token, "left"));
      OTELSTACK_RETURN_IF_ERROR(Advance());
      NodePtr rhs;
      OTELSTACK_RETURN_IF_ERROR((this->*operand)(&rhs));
      OTELSTACK_RETURN_IF_ERROR(RequireValue(*rhs, op_token, "right"));
      auto node = std::make_unique<Node>(Kind::kArith, lhs->pos);
      node->arith_op = match->op;
      node->children.push_back(std::move(lhs));
      node->children.push_back(std::move(rhs));
      lhs = std::move(node);
    }
    *out = std::move(lhs);
    return Status::OK();
  }

  // unary := ('-' | '+') unary | primary ; -<number> folds into the literal.
  Status ParseUnary(NodePtr* out) {
    if (!IsSymbol("-") && !IsSymbol("+")) return ParsePrimary(out);
    Token sign = cur_;
    parse::DepthGuard depth(&depth_);
    OTELSTACK_RETURN_IF_ERROR(depth.Check(sign.pos));
    OTELSTACK_RETURN_IF_ERROR(Advance());
    NodePtr operand;
    OTELSTACK_RETURN_IF_ERROR(ParseUnary(&operand));
    OTELSTACK_RETURN_IF_ERROR(RequireValue(*operand, sign, "right"));
    *out = sign.text == "-" ? Negated(std::move(operand), sign.pos) : std::move(operand);
    return Status::OK();
  }

  // primary := number | 'string' | NULL | TRUE | FALSE | name ['[' 'key' ']'] | '(' or ')'
  Status ParsePrimary(NodePtr* out) {
    Token t = cur_;
    switch (t.kind) {
      case TokenKind::kNumber:
        *out = parse::NumberLiteral(t.text, t.pos);
        return Advance();
      case TokenKind::kString:
        *out = parse::StringLiteral(t.text, t.pos);
        return Advance();
      case TokenKind::kKeyword:
        if (t.text == "NULL") {
          *out = parse::NullLiteral(t.pos);
          return Advance();
        }
        if (t.text == "TRUE" || t.text == "FALSE") {
          *out = parse::NumberLiteral(t.text == "TRUE" ? "1" : "0", t.pos);
          return Advance();
        }
        break;
      case TokenKind::kIdentifier:
        return ParseFieldReference(out);
      case TokenKind::kSymbol:
        if (t.text == "(") return ParseParenthesized(out);
        break;
      case TokenKind::kEnd:
        break;
    }
    return ErrorAt(t.pos, "expected a value (a column name, a number, a 'string' or '('), found " + Describe());
  }

  Status ParseFieldReference(NodePtr* out) {
    Token name = cur_;
    auto node = parse::FieldNode(name.text, name.pos);
    OTELSTACK_RETURN_IF_ERROR(Advance());
    if (IsSymbol("(")) {
      return ErrorAt(cur_.pos, "function calls such as " + parse::Quoted(name.text + "(...)") + " are not supported");
    }
    if (IsSymbol("[")) {
      size_t open = cur_.pos;
      OTELSTACK_RETURN_IF_ERROR(Advance());
      if (cur_.kind != TokenKind::kString) {
        return ErrorAt(
            cur_.pos, "expected a 'key' string inside [ ] after " + parse::Quoted(name.text) + ", found " + Describe());
      }
      node->field.has_map_key = true;
      node->field.map_key = cur_.text;
      OTELSTACK_RETURN_IF_ERROR(Advance());
      if (!IsSymbol("]")) {
        return ErrorAt(cur_.pos, "expected ']' to close the '[' at position " + std::to_string(open + 1) + ", found " +
                                     Describe());
      }
      OTELSTACK_RETURN_IF_ERROR(Advance());
      if (IsSymbol("[")) return ErrorAt(cur_.pos, "only one level of ['key'] access is supported");
    }
    *out = std::move(node);
    return Status::OK();
  }

  Status ParseParenthesized(NodePtr* out) {
    size_t open = cur_.pos;
    parse::DepthGuard depth(&depth_);
    OTELSTACK_RETURN_IF_ERROR(depth.Check(open));
    OTELSTACK_RETURN_IF_ERROR(Advance());
    NodePtr inner;
    OTELSTACK_RETURN_IF_ERROR(ParseOr(&inner));
    if (!IsSymbol(")")) {
      return ErrorAt(cur_.pos,
                     "expected ')' to close the '(' at position " + std::to_string(open + 1) + ", found " + Describe());
    }
    *out = std::move(inner);
    return Advance();
  }

  // -operand; a number literal takes the sign into its text instead.
  static NodePtr Negated(NodePtr operand, size_t pos) {
    if (operand->kind == Kind::kLiteral && operand->literal.kind == ast::Literal::Kind::kNumber) {
      const std::string& text = operand->literal.text;
      std::string negated = text.starts_with('-') ? text.substr(1) : "-" + text;
      return parse::NumberLiteral(negated, pos);
    }
    auto node = std::make_unique<Node>(Kind::kNegate, pos);
    node->children.push_back(std::move(operand));
    return node;
  }

  static bool CompareOpOf(std::string_view s, ast::CompareOp* op) {
    if (s == "=" || s == "==")
      *op = ast::CompareOp::kEq;
    else if (s == "!=" || s == "<>")
      *op = ast::CompareOp::kNe;
    else if (s == "<")
      *op = ast::CompareOp::kLt;
    else if (s == "<=")
      *op = ast::CompareOp::kLe;
    else if (s == ">")
      *op = ast::CompareOp::kGt;
    else if (s == ">=")
      *op = ast::CompareOp::kGe;
    else
      return false;
    return true;
  }

  // A condition is needed where `node` (which started at `start`) stands;
  // the error points at the token after it, where an operator was expected.
  Status RequirePredicate(const Node& node, size_t start) const {
    if (IsPredicate(node)) return Status::OK();
    std::string_view written = q_.substr(start, cur_.pos - start);
    while (!written.empty() && parse::IsSpace(written.back())) written.remove_suffix(1);
    return ErrorAt(cur_.pos, "expected " + std::string(kComparisons) + " after " + parse::Quoted(written) + ", found " +
                                 Describe());
  }

  // A value (not a condition) is needed on `side` of the operator `op`.
  Status RequireValue(const Node& node, const Token& op, std::string_view side) const {
    if (!IsPredicate(node)) return Status::OK();
    return ErrorAt(op.pos, parse::Quoted(op.text) + " needs a value on its " + std::string(side) +
                               ", found a condition (a comparison, AND, OR or NOT)");
  }

  Status Advance() { return lexer_.Next(&cur_); }
  bool IsKeyword(std::string_view kw) const { return cur_.kind == TokenKind::kKeyword && cur_.text == kw; }
  bool IsSymbol(std::string_view sym) const { return cur_.kind == TokenKind::kSymbol && cur_.text == sym; }
  std::string Describe() const { return sql::Describe(cur_, q_); }

  std::string_view q_;
  sql::Lexer lexer_;
  Token cur_;
  int depth_ = 0;
};

}  // namespace

Status ParseSqlWhere(std::string_view where, ast::NodePtr* out) {
  out->reset();
  OTELSTACK_RETURN_IF_ERROR(parse::CheckLength(where));
  if (parse::IsBlank(where)) return Status::OK();
  return SqlParser(where).Parse(out);
}

}  // namespace otelstack::query

#include "query/parser/ast.h"

namespace otelstack::query::ast {
namespace {

void AppendEscaped(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(ch);
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\t') {
      out->append("\\t");
    } else if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out->append("\\x");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    } else {
      out->push_back(ch);
    }
  }
  out->push_back('"');
}

void AppendField(std::string* out, const Field& f) {
  out->append("(FIELD ");
  out->append(f.name);
  if (f.has_map_key) {
    out->append("['");
    out->append(f.map_key);
    out->append("']");
  }
  out->push_back(')');
}

const char* CompareOpName(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "!=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
  }
  return "?";
}

const char* ArithOpName(ArithOp op) {
  switch (op) {
    case ArithOp::kAdd:
      return "+";
    case ArithOp::kSub:
      return "-";
    case ArithOp::kMul:
      return "*";
    case ArithOp::kDiv:
      return "/";
    case ArithOp::kMod:
      return "%";
  }
  return "?";
}

const char* TextModeName(TextMode mode) {
  switch (mode) {
    case TextMode::kToken:
      return "token";
    case TextMode::kPrefix:
      return "prefix";
    case TextMode::kSuffix:
      return "suffix";
    case TextMode::kSubstring:
      return "substring";
    case TextMode::kPhrase:
      return "phrase";
  }
  return "?";
}

void Append(std::string* out, const Node& n);

// " child1 child2 ..." for children [from, end).
void AppendChildren(std::string* out, const Node& n, size_t from = 0) {
  for (size_t i = from; i < n.children.size(); ++i) {
    out->push_back(' ');
    Append(out, *n.children[i]);
  }
}

// A range bound: `*` for an open (kNull) bound.
void AppendBound(std::string* out, const Node& bound) {
  if (bound.kind == Node::Kind::kLiteral && bound.literal.kind == Literal::Kind::kNull) {
    out->push_back('*');
  } else {
    Append(out, bound);
  }
}

void Append(std::string* out, const Node& n) {
  using K = Node::Kind;
  switch (n.kind) {
    case K::kAnd:
      out->append("(AND");
      AppendChildren(out, n);
      break;
    case K::kOr:
      out->append("(OR");
      AppendChildren(out, n);
      break;
    case K::kNot:
      out->append("(NOT");
      AppendChildren(out, n);
      break;
    case K::kText:
      out->append("(TEXT ");
      out->append(TextModeName(n.text_mode));
      out->push_back(' ');
      if (n.has_field) {
        AppendField(out, n.field);
        out->push_back(' ');
      }
      AppendEscaped(out, n.text);
      break;
    case K::kCompare:
      out->append("(CMP ");
      out->append(CompareOpName(n.compare_op));
      AppendChildren(out, n);
      break;
    case K::kIn:
      out->append(n.negated ? "(NOT-IN" : "(IN");
      AppendChildren(out, n);
      break;
    case K::kLike:
      out->append(n.negated ? "(NOT-" : "(");
      out->append(n.case_insensitive ? "ILIKE" : "LIKE");
      AppendChildren(out, n);
      break;
    case K::kIsNull:
      out->append(n.negated ? "(IS-NOT-NULL" : "(IS-NULL");
      AppendChildren(out, n);
      break;
    case K::kExists:
      out->append("(EXISTS ");
      AppendField(out, n.field);
      break;
    case K::kRange:
      // (RANGE (FIELD f) [lo hi}) : the brackets show the inclusivity.
      out->append("(RANGE");
      if (n.children.size() == 3) {
        out->push_back(' ');
        Append(out, *n.children[0]);
        out->append(n.lo_inclusive ? " [" : " {");
        AppendBound(out, *n.children[1]);
        out->push_back(' ');
        AppendBound(out, *n.children[2]);
        out->push_back(n.hi_inclusive ? ']' : '}');
      } else {
        AppendChildren(out, n);
      }
      break;
    case K::kField:
      AppendField(out, n.field);
      return;
    case K::kLiteral:
      switch (n.literal.kind) {
        case Literal::Kind::kNull:
          out->append("NULL");
          break;
        case Literal::Kind::kNumber:
          out->append(n.literal.text);
          break;
        case Literal::Kind::kString:
          AppendEscaped(out, n.literal.text);
          break;
      }
      return;
    case K::kArith:
      out->push_back('(');
      out->append(ArithOpName(n.arith_op));
      AppendChildren(out, n);
      break;
    case K::kNegate:
      out->append("(NEG");
      AppendChildren(out, n);
      break;
  }
  out->push_back(')');
}

}  // namespace

std::string ToString(const Node& node) {
  std::string out;
  Append(&out, node);
  return out;
}

}  // namespace otelstack::query::ast

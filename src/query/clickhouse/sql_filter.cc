#include "query/clickhouse/sql_filter.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "store/skip_index/tokenizer.h"

namespace otelstack::query::ch {

namespace {

using Kind = BoundNode::Kind;
using clickhouse::ReadMapping;

// The RE2 class of bytes that are not token bytes (store/skip_index/tokenizer.h):
// ASCII that is not a letter or a digit. Tokens are runs of its complement.
constexpr char kTokenRegexLiteral[] = "'[^\\\\x00-/:-@\\\\[-`{-\\\\x7f]+'";

constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

std::string IntLiteral(int64_t v) {
  if (v == kInt64Min) return "toInt64('-9223372036854775808')";
  return "toInt64(" + std::to_string(v) + ")";
}

const char* OpSql(ast::CompareOp op) {
  switch (op) {
    case ast::CompareOp::kEq:
      return " = ";
    case ast::CompareOp::kNe:
      return " != ";
    case ast::CompareOp::kLt:
      return " < ";
    case ast::CompareOp::kLe:
      return " <= ";
    case ast::CompareOp::kGt:
      return " > ";
    case ast::CompareOp::kGe:
      return " >= ";
  }
  return " = ";
}

// a op b  ==  b Mirror(op) a
ast::CompareOp Mirror(ast::CompareOp op) {
  switch (op) {
    case ast::CompareOp::kLt:
      return ast::CompareOp::kGt;
    case ast::CompareOp::kLe:
      return ast::CompareOp::kGe;
    case ast::CompareOp::kGt:
      return ast::CompareOp::kLt;
    case ast::CompareOp::kGe:
      return ast::CompareOp::kLe;
    default:
      return op;
  }
}

std::string Paren(const std::string& s) { return "(" + s + ")"; }

bool IsNumberKind(const SqlScalar& v) { return v.kind == SqlScalar::Kind::kInt || v.kind == SqlScalar::Kind::kDouble; }

// Two numbers (row_value.h: exact when both are integers).
std::string CompareNumbers(const SqlNumber& a, const SqlNumber& b, ast::CompareOp op) {
  std::string ints = Paren(a.i + OpSql(op) + b.i);
  std::string doubles = Paren(a.d + OpSql(op) + b.d);
  if (a.static_int && b.static_int) return ints;
  if (a.static_double || b.static_double) return doubles;
  return "if(" + a.is_int + " AND " + b.is_int + ", " + ints + ", " + doubles + ")";
}

// A number (kind known to be a number where `number_valid` holds) against a
// string `text`: the string is parsed; unparsable satisfies only !=.
std::string CompareNumberWithString(const SqlNumber& number, const std::string& text, ast::CompareOp op) {
  SqlScalar s;
  s.kind = SqlScalar::Kind::kString;
  s.expr = text;
  SqlNumber parsed = NumberSql(s);
  std::string both = "(" + parsed.valid + " AND " + CompareNumbers(number, parsed, op) + ")";
  if (op == ast::CompareOp::kNe) return "(" + both + " OR NOT " + parsed.valid + ")";
  return both;
}

// CompareValues of execution/filter.cc.
std::string CompareSql(const SqlScalar& a, const SqlScalar& b, ast::CompareOp op) {
  using K = SqlScalar::Kind;
  if (IsNumberKind(a) && IsNumberKind(b)) return CompareNumbers(NumberSql(a), NumberSql(b), op);
  if (IsNumberKind(a) && b.kind == K::kString) return CompareNumberWithString(NumberSql(a), b.expr, op);
  if (a.kind == K::kString && IsNumberKind(b)) return CompareNumberWithString(NumberSql(b), a.expr, Mirror(op));
  if (a.kind == K::kString && b.kind == K::kString) return Paren(a.expr + OpSql(op) + b.expr);
  // A dynamic side (arithmetic) is a number when valid, else null, which
  // compares as the string ''. Only branches that type-check are generated.
  auto number_of = [](const SqlScalar& v) {
    if (v.kind != K::kDynamic) return NumberSql(v);
    return SqlNumber{v.valid, v.is_int, v.i, v.d};
  };
  if (a.kind != K::kDynamic) return CompareSql(b, a, Mirror(op));  // dynamic first below
  SqlNumber an = number_of(a);
  std::string null_case;  // a is null: '' against b
  std::string number_case;
  switch (b.kind) {
    case K::kInt:
    case K::kDouble:
      number_case = CompareNumbers(an, number_of(b), op);
      null_case = CompareNumberWithString(number_of(b), "''", Mirror(op));
      break;
    case K::kString:
      number_case = CompareNumberWithString(an, b.expr, op);
      null_case = Paren("''" + std::string(OpSql(op)) + b.expr);
      break;
    case K::kDynamic: {
      SqlNumber bn = number_of(b);
      number_case =
          "if(" + b.valid + ", " + CompareNumbers(an, bn, op) + ", " + CompareNumberWithString(an, "''", op) + ")";
      null_case = "if(" + b.valid + ", " + CompareNumberWithString(bn, "''", Mirror(op)) + ", " +
                  Paren("'' " + std::string(OpSql(op)) + " ''") + ")";
      break;
    }
  }
  return "if(" + a.valid + ", " + number_case + ", " + null_case + ")";
}

// A pattern's tokens (already case-folded).
std::vector<std::string> TokensOf(std::string_view folded) {
  std::vector<std::string> out;
  tokens::ForEachToken(folded, [&](std::string_view t) { out.emplace_back(t); });
  return out;
}

// UInt8: the String `value` matches the text pattern (text_match.h TextPattern).
std::string TextMatchSql(const std::string& value, const std::string& folded, ast::TextMode mode) {
  if (folded.empty()) return "1";
  std::vector<std::string> tokens = TokensOf(folded);
  if (mode == ast::TextMode::kSubstring || tokens.empty()) {
    return "(position(lower(" + value + "), " + Quote(folded) + ") > 0)";
  }
  // The value's tokens joined as " t1 t2 ... tn ": a run of whole tokens is
  // " a b ", a last token only starting a value token drops the trailing
  // space, a first token only ending one drops the leading space.
  std::string needle;
  bool open_start = mode == ast::TextMode::kSuffix;
  bool open_end = mode == ast::TextMode::kPrefix;
  if (!open_start) needle.push_back(' ');
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) needle.push_back(' ');
    needle += tokens[i];
  }
  if (!open_end) needle.push_back(' ');
  std::string normalized =
      "concat(' ', arrayStringConcat(extractAll(lower(" + value + "), " + kTokenRegexLiteral + "), ' '), ' ')";
  return "(position(" + normalized + ", " + Quote(needle) + ") > 0)";
}

class Translator {
 public:
  explicit Translator(const ReadMapping& mapping) : mapping_(mapping) {}

  Status Predicate(const BoundNode& b, std::string* out) {
    switch (b.kind) {
      case Kind::kAnd:
      case Kind::kOr: {
        if (b.children.empty()) {
          *out = b.kind == Kind::kAnd ? "1" : "0";
          return Status::OK();
        }
        std::string joined;
        for (const auto& child : b.children) {
          std::string c;
          OTELSTACK_RETURN_IF_ERROR(Predicate(*child, &c));
          if (!joined.empty()) joined += b.kind == Kind::kAnd ? " AND " : " OR ";
          joined += c;
        }
        *out = Paren(joined);
        return Status::OK();
      }
      case Kind::kNot: {
        std::string c;
        OTELSTACK_RETURN_IF_ERROR(Predicate(*b.children.at(0), &c));
        *out = "(NOT " + c + ")";
        return Status::OK();
      }
      case Kind::kConst:
        *out = b.const_value ? "1" : "0";
        return Status::OK();
      case Kind::kText: {
        if (!b.has_source) {
          std::string match = TextMatchSql("v", b.text, b.text_mode);
          *out = match == "1" ? "1" : "arrayExists(v -> " + match + ", " + mapping_.TextValues() + ")";
          return Status::OK();
        }
        SqlScalar v = SourceSql(b.source, mapping_);
        *out = "(" + v.present + " AND " + TextMatchSql(TextSql(v), b.text, b.text_mode) + ")";
        return Status::OK();
      }
      case Kind::kCompare: {
        SqlScalar x, y;
        OTELSTACK_RETURN_IF_ERROR(Scalar(*b.children.at(0), &x));
        OTELSTACK_RETURN_IF_ERROR(Scalar(*b.children.at(1), &y));
        *out = CompareSql(x, y, b.compare_op);
        return Status::OK();
      }
      case Kind::kIn: {
        SqlScalar x;
        OTELSTACK_RETURN_IF_ERROR(Scalar(*b.children.at(0), &x));
        std::string any;
        for (size_t i = 1; i < b.children.size(); ++i) {
          SqlScalar y;
          OTELSTACK_RETURN_IF_ERROR(Scalar(*b.children[i], &y));
          if (!any.empty()) any += " OR ";
          any += CompareSql(x, y, ast::CompareOp::kEq);
        }
        if (any.empty()) any = "0";
        *out = b.negated ? "(NOT (" + any + "))" : Paren(any);
        return Status::OK();
      }
      case Kind::kLike: {
        SqlScalar x;
        OTELSTACK_RETURN_IF_ERROR(Scalar(*b.children.at(0), &x));
        std::string text = TextSql(x);
        if (b.case_insensitive) text = "lower(" + text + ")";
        std::string m = "match(" + text + ", " + Quote(LikeToRegex(b.text, b.case_insensitive)) + ")";
        *out = b.negated ? "(NOT " + m + ")" : m;
        return Status::OK();
      }
      case Kind::kIsNull: {
        SqlScalar v = SourceSql(b.source, mapping_);
        std::string is_null = v.present == "1" ? "0" : "(NOT " + v.present + ")";
        *out = b.negated ? "(NOT " + is_null + ")" : is_null;
        return Status::OK();
      }
      case Kind::kExists: {
        SqlScalar v = SourceSql(b.source, mapping_);
        std::string exists = v.kind == SqlScalar::Kind::kString ? "(" + v.expr + " != '')" : "1";
        *out = b.negated ? "(NOT " + exists + ")" : exists;
        return Status::OK();
      }
      default:
        return Status::InvalidArgument("a value used as a condition");
    }
  }

  Status Scalar(const BoundNode& b, SqlScalar* out) {
    switch (b.kind) {
      case Kind::kValue:
        *out = SourceSql(b.source, mapping_);
        return Status::OK();
      case Kind::kLiteral:
        *out = LiteralSql(b.literal);
        return Status::OK();
      case Kind::kArith:
      case Kind::kNegate:
        return Arith(b, out);
      default:
        return Status::InvalidArgument("a condition used as a value");
    }
  }

 private:
  static SqlScalar LiteralSql(const ast::Literal& literal) {
    SqlScalar v;
    switch (literal.kind) {
      case ast::Literal::Kind::kNull:  // compares as ''
        v.kind = SqlScalar::Kind::kString;
        v.expr = "''";
        break;
      case ast::Literal::Kind::kString:
        v.kind = SqlScalar::Kind::kString;
        v.expr = Quote(literal.text);
        break;
      case ast::Literal::Kind::kNumber:
        if (literal.is_integer) {
          v.kind = SqlScalar::Kind::kInt;
          v.expr = IntLiteral(literal.integer);
        } else {
          v.kind = SqlScalar::Kind::kDouble;
          v.expr = DoubleLiteral(literal.number);
        }
        break;
    }
    return v;
  }

  // EvalArith of execution/filter.cc.
  Status Arith(const BoundNode& b, SqlScalar* out) {
    SqlScalar xs;
    OTELSTACK_RETURN_IF_ERROR(Scalar(*b.children.at(0), &xs));
    SqlNumber x = Dyn(xs);
    out->kind = SqlScalar::Kind::kDynamic;
    const std::string min = IntLiteral(kInt64Min);
    if (b.kind == Kind::kNegate) {
      out->valid = x.valid;
      out->is_int = "(" + x.is_int + " AND " + x.i + " != " + min + ")";
      out->i = "negate(" + x.i + ")";
      out->d = "negate(" + x.d + ")";
      return Status::OK();
    }
    SqlScalar ys;
    OTELSTACK_RETURN_IF_ERROR(Scalar(*b.children.at(1), &ys));
    SqlNumber y = Dyn(ys);
    std::string both_valid = "(" + x.valid + " AND " + y.valid + ")";
    std::string both_int = "(" + x.is_int + " AND " + y.is_int + ")";
    std::string xi_neg = "(" + x.i + " < 0)", yi_neg = "(" + y.i + " < 0)";
    std::string exact, overflow, dbl;
    switch (b.arith_op) {
      case ast::ArithOp::kAdd:
        exact = "plus(" + x.i + ", " + y.i + ")";
        overflow = "(" + xi_neg + " = " + yi_neg + " AND (" + exact + " < 0) != " + xi_neg + ")";
        dbl = "plus(" + x.d + ", " + y.d + ")";
        break;
      case ast::ArithOp::kSub:
        exact = "minus(" + x.i + ", " + y.i + ")";
        overflow = "(" + xi_neg + " != " + yi_neg + " AND (" + exact + " < 0) != " + xi_neg + ")";
        dbl = "minus(" + x.d + ", " + y.d + ")";
        break;
      case ast::ArithOp::kMul: {
        exact = "multiply(" + x.i + ", " + y.i + ")";
        std::string safe_x = "if(" + x.i + " = 0 OR " + x.i + " = -1, toInt64(1), " + x.i + ")";
        overflow = "multiIf(" + x.i + " = 0, 0, " + x.i + " = -1, " + y.i + " = " + min + ", intDiv(" + exact + ", " +
                   safe_x + ") != " + y.i + ")";
        dbl = "multiply(" + x.d + ", " + y.d + ")";
        break;
      }
      case ast::ArithOp::kDiv:  // always floating point
        out->valid = "(" + both_valid + " AND " + y.d + " != 0)";
        out->is_int = "0";
        out->i = "toInt64(0)";
        out->d = "divide(" + x.d + ", " + y.d + ")";
        return Status::OK();
      case ast::ArithOp::kMod: {
        std::string safe_y = "if(" + y.i + " = 0 OR " + y.i + " = -1, toInt64(1), " + y.i + ")";
        out->valid = "(" + both_valid + " AND if(" + both_int + ", " + y.i + " != 0 AND NOT (" + x.i + " = " + min +
                     " AND " + y.i + " = -1), " + y.d + " != 0))";
        out->is_int = both_int;
        out->i = "toInt64(modulo(" + x.i + ", " + safe_y + "))";
        // fmod: the remainder of truncated division.
        std::string fmod = "minus(" + x.d + ", multiply(" + y.d + ", trunc(divide(" + x.d + ", " + y.d + "))))";
        out->d = "if(" + both_int + ", toFloat64(" + out->i + "), " + fmod + ")";
        return Status::OK();
      }
    }
    out->valid = both_valid;
    out->is_int = "(" + both_int + " AND NOT " + overflow + ")";
    out->i = exact;
    out->d = "if(" + out->is_int + ", toFloat64(" + exact + "), " + dbl + ")";
    return Status::OK();
  }

  static SqlNumber Dyn(const SqlScalar& v) {
    if (v.kind == SqlScalar::Kind::kDynamic) return SqlNumber{v.valid, v.is_int, v.i, v.d};
    return NumberSql(v);
  }

  const ReadMapping& mapping_;
};

}  // namespace

std::string Quote(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + 2);
  out.push_back('\'');
  for (char c : bytes) {
    switch (c) {
      case '\'':
        out += "\\'";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\0':
        out += "\\0";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

std::string DoubleLiteral(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.17g", d);
  std::string s(buf);
  // Keep it a Float64 literal even when it looks like an integer.
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return "toFloat64(" + s + ")";
}

SqlScalar SourceSql(const ValueSource& source, const ReadMapping& mapping) {
  SqlScalar v;
  if (source.kind == ValueSource::Kind::kAttribute) {
    v.kind = SqlScalar::Kind::kString;
    if (source.maps.empty()) {
      v.expr = "''";
      v.present = "0";
      return v;
    }
    if (source.maps.size() == 1) {
      v.expr = mapping.AttributeValue(source.maps[0], source.key);
      v.present = mapping.AttributeExists(source.maps[0], source.key);
      return v;
    }
    // The first map holding the key gives the value.
    std::string chain = "multiIf(";
    std::string any;
    for (size_t m : source.maps) {
      std::string exists = mapping.AttributeExists(m, source.key);
      chain += exists + ", " + mapping.AttributeValue(m, source.key) + ", ";
      any += (any.empty() ? "" : " OR ") + exists;
    }
    v.expr = chain + "'')";
    v.present = "(" + any + ")";
    return v;
  }
  std::string column = mapping.Column(source.column);
  switch (source.type) {
    case ColumnType::kTimestamp:
    case ColumnType::kUInt64:
    case ColumnType::kInt64:
      v.kind = SqlScalar::Kind::kInt;
      v.expr = column.empty() ? "toInt64(0)" : "toInt64(" + column + ")";
      break;
    case ColumnType::kFloat64:
      v.kind = SqlScalar::Kind::kDouble;
      v.expr = column.empty() ? "toFloat64(0)" : "toFloat64(" + column + ")";
      break;
    case ColumnType::kString:
    case ColumnType::kId:
      v.kind = SqlScalar::Kind::kString;
      v.expr = column.empty() ? "''" : column;
      break;
    case ColumnType::kAny:  // null when empty
      v.kind = SqlScalar::Kind::kString;
      v.expr = column.empty() ? "''" : column;
      v.present = "(" + v.expr + " != '')";
      break;
  }
  return v;
}

std::string TextSql(const SqlScalar& value) {
  switch (value.kind) {
    case SqlScalar::Kind::kString:
      return value.expr;
    case SqlScalar::Kind::kInt:
    case SqlScalar::Kind::kDouble:
      return "toString(" + value.expr + ")";
    case SqlScalar::Kind::kDynamic:
      return "if(" + value.valid + ", if(" + value.is_int + ", toString(" + value.i + "), toString(" + value.d +
             ")), '')";
  }
  return "''";
}

SqlNumber NumberSql(const SqlScalar& value) {
  SqlNumber n;
  switch (value.kind) {
    case SqlScalar::Kind::kInt:
      n = {"1", "1", value.expr, "toFloat64(" + value.expr + ")"};
      n.static_int = true;
      return n;
    case SqlScalar::Kind::kDouble:
      n = {"1", "0", "toInt64(0)", value.expr};
      n.static_double = true;
      return n;
    case SqlScalar::Kind::kDynamic:
      return {value.valid, value.is_int, value.i, value.d};
    case SqlScalar::Kind::kString:
      break;
  }
  // ParseNumber (row_value.h): an optional '+', then what std::from_chars
  // accepts: an Int64 when there is no '.', exponent or overflow, else a
  // double (decimal or exponent form, inf/infinity; never NaN).
  const std::string& s = value.expr;
  std::string unsigned_text = "replaceRegexpOne(" + s + ", '^\\\\+', '')";
  std::string int_form = "match(" + s + ", '^\\\\+?-?[0-9]+$')";
  std::string canonical = "replaceRegexpOne(" + unsigned_text + ", '^(-?)0*([0-9])', '\\\\1\\\\2')";
  std::string fits =
      "(length(" + unsigned_text + ") < 19 OR toString(toInt64OrZero(" + unsigned_text + ")) = " + canonical + ")";
  n.is_int = "(" + int_form + " AND " + fits + ")";
  n.valid = "(match(" + s + ", '^\\\\+?-?([0-9]+\\\\.?[0-9]*|\\\\.[0-9]+)([eE][+-]?[0-9]+)?$') OR match(" + s +
            ", '^\\\\+?-?[iI][nN][fF]([iI][nN][iI][tT][yY])?$'))";
  n.i = "toInt64OrZero(" + unsigned_text + ")";
  std::string as_double =
      "toFloat64OrZero(replaceRegexpOne(" + unsigned_text + ", '^(-?)[iI][nN][fF].*$', '\\\\1inf'))";
  n.d = "if(" + n.is_int + ", toFloat64(" + n.i + "), " + as_double + ")";
  return n;
}

Status FilterSql(const BoundFilter& filter, const ReadMapping& mapping, std::string* out) {
  if (!filter.root) {
    *out = "1";
    return Status::OK();
  }
  Translator t(mapping);
  return t.Predicate(*filter.root, out);
}

std::string LikeToRegex(std::string_view pattern, bool folded) {
  std::string re = "(?s)^";
  // A literal byte is written as itself, metacharacters with a backslash.
  // Not as a hex escape (\x2f): ClickHouse (18.16 at least) scans a pattern
  // for a required literal substring before running RE2 and misreads
  // multi-character escapes, taking "2f..." for literal text, so such
  // patterns match nothing. The backslashed metacharacters below are the
  // escapes that scan understands; every other byte is literal in RE2 as is.
  auto literal = [&](char c) {
    if (folded) c = static_cast<char>(tokens::FoldCase(static_cast<unsigned char>(c)));
    switch (c) {
      case '\\':
      case '|':
      case '(':
      case ')':
      case '^':
      case '$':
      case '.':
      case '[':
      case '?':
      case '*':
      case '+':
      case '{':
        re.push_back('\\');
        break;
      default:
        break;
    }
    re.push_back(c);
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      literal(pattern[++i]);
    } else if (c == '%') {
      re += ".*";
    } else if (c == '_') {
      re += ".";
    } else {
      literal(c);
    }
  }
  re += "$";
  return re;
}

}  // namespace otelstack::query::ch

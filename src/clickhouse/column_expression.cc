#include "clickhouse/column_expression.h"

#include <string>
#include <vector>

namespace otelstack::clickhouse {

namespace {

// Clauses and set operations: refused outside brackets (inside, FROM is
// EXTRACT(... FROM ...)/trim(... FROM ...) and AS is CAST(... AS ...)).
constexpr std::string_view kTopLevelKeywords[] = {
    "FROM",   "WHERE", "PREWHERE", "GROUP",     "HAVING", "ORDER", "LIMIT", "OFFSET", "SETTINGS",
    "FORMAT", "UNION", "EXCEPT",   "INTERSECT", "INTO",   "WITH",  "JOIN",  "AS",
};
// Refused anywhere outside quotes: a subquery (and through it any table or
// table function) or a join.
constexpr std::string_view kKeywords[] = {"SELECT", "JOIN"};

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string Upper(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

Status Invalid(const std::string& why) { return Status::InvalidArgument("not a single SQL expression: " + why); }

}  // namespace

Status CheckColumnExpression(std::string_view e) {
  if (e.size() > kMaxColumnExpressionBytes) {
    return Invalid("longer than " + std::to_string(kMaxColumnExpressionBytes) + " bytes");
  }
  bool blank = true;
  for (char c : e) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != ' ' && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) {
      return Invalid("control characters are not allowed");
    }
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') blank = false;
  }
  if (blank) return Invalid("it is empty");

  std::vector<char> open;  // the closing bracket each open one expects
  for (size_t i = 0; i < e.size();) {
    const char c = e[i];
    if (c == '\'' || c == '"' || c == '`') {
      size_t j = i + 1;
      bool closed = false;
      while (j < e.size()) {
        if (e[j] == '\\') {
          j += 2;
        } else if (e[j] == c) {
          if (j + 1 < e.size() && e[j + 1] == c) {
            j += 2;  // a doubled quote stands for itself
          } else {
            closed = true;
            break;
          }
        } else {
          ++j;
        }
      }
      if (!closed) return Invalid(std::string("an unterminated ") + c + " quote");
      i = j + 1;
      continue;
    }
    if (c == ';') return Invalid("';' is not allowed");
    if (c == '$') return Invalid("'$' is not allowed outside quotes");
    if (c == '{' || c == '}') return Invalid("braces are not allowed outside quotes");
    if (c == '#' || (c == '-' && i + 1 < e.size() && e[i + 1] == '-') ||
        (c == '/' && i + 1 < e.size() && e[i + 1] == '*')) {
      return Invalid("comments are not allowed");
    }
    if (c == '(' || c == '[') {
      open.push_back(c == '(' ? ')' : ']');
      ++i;
      continue;
    }
    if (c == ')' || c == ']') {
      if (open.empty() || open.back() != c) return Invalid(std::string("unbalanced '") + c + "'");
      open.pop_back();
      ++i;
      continue;
    }
    if (c == ',' && open.empty()) return Invalid("a ',' outside brackets (one expression only)");
    if (IsWordChar(c)) {
      size_t j = i;
      while (j < e.size() && IsWordChar(e[j])) ++j;
      const std::string word = Upper(e.substr(i, j - i));
      for (std::string_view k : kKeywords) {
        if (word == k) return Invalid(word + " is not allowed");
      }
      if (open.empty()) {
        for (std::string_view k : kTopLevelKeywords) {
          if (word == k) return Invalid(word + " is not allowed outside brackets");
        }
      }
      i = j;
      continue;
    }
    ++i;
  }
  if (!open.empty()) return Invalid(std::string("a '") + (open.back() == ')' ? '(' : '[') + "' is not closed");
  return Status::OK();
}

bool IsColumnName(std::string_view expression, std::string_view name) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!expression.empty() && space(expression.front())) expression.remove_prefix(1);
  while (!expression.empty() && space(expression.back())) expression.remove_suffix(1);
  if (expression.size() == name.size() + 2 && expression.front() == '`' && expression.back() == '`') {
    expression = expression.substr(1, name.size());
  }
  return expression == name;
}

}  // namespace otelstack::clickhouse

#include "query/parser/sql_lexer.h"

#include "query/parser/parse_support.h"

namespace otelstack::query::sql {
namespace {

using parse::ErrorAt;

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

constexpr std::string_view kKeywords[] = {"AND", "OR", "NOT", "IN", "LIKE", "ILIKE", "IS", "NULL", "TRUE", "FALSE"};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

Status Lexer::Next(Token* t) {
  while (pos_ < in_.size() && parse::IsSpace(in_[pos_])) ++pos_;
  t->pos = pos_;
  t->text.clear();
  Status s;
  if (pos_ == in_.size()) {
    t->kind = Token::Kind::kEnd;
  } else if (char c = in_[pos_]; IsLetter(c)) {
    s = LexIdentifier(t);
  } else if (c == '`' || c == '"') {
    s = LexQuotedIdentifier(t);
  } else if (c == '\'') {
    s = LexString(t);
  } else if (IsDigit(c) || (c == '.' && pos_ + 1 < in_.size() && IsDigit(in_[pos_ + 1]))) {
    s = LexNumber(t);
  } else {
    s = LexSymbol(t);
  }
  t->end = pos_;
  return s;
}

Status Lexer::LexIdentifier(Token* t) {
  size_t start = pos_;
  while (pos_ < in_.size() && (IsLetter(in_[pos_]) || IsDigit(in_[pos_]) || in_[pos_] == '.')) {
    if (in_[pos_] == '.' &&
        (pos_ + 1 == in_.size() || in_[pos_ + 1] == '.' || !(IsLetter(in_[pos_ + 1]) || IsDigit(in_[pos_ + 1])))) {
      return ErrorAt(pos_, "a name cannot end with '.' or contain '..' (quote unusual names with `backticks`)");
    }
    ++pos_;
  }
  std::string_view word = in_.substr(start, pos_ - start);
  std::string upper = Upper(word);
  for (std::string_view kw : kKeywords) {
    if (upper == kw) {
      t->kind = Token::Kind::kKeyword;
      t->text = std::move(upper);
      return Status::OK();
    }
  }
  t->kind = Token::Kind::kIdentifier;
  t->text = std::string(word);
  return Status::OK();
}

Status Lexer::LexQuotedIdentifier(Token* t) {
  size_t open = pos_;
  char quote = in_[pos_++];
  t->kind = Token::Kind::kIdentifier;
  while (pos_ < in_.size()) {
    char c = in_[pos_++];
    if (c != quote) {
      t->text += c;
    } else if (pos_ < in_.size() && in_[pos_] == quote) {  // doubled: a literal quote character
      t->text += quote;
      ++pos_;
    } else {
      if (t->text.empty()) return ErrorAt(open, "a quoted name cannot be empty");
      return Status::OK();
    }
  }
  return ErrorAt(
      pos_, std::string("expected ") + quote + " to close the name quoted at position " + std::to_string(open + 1));
}

Status Lexer::LexString(Token* t) {
  size_t open = pos_++;
  t->kind = Token::Kind::kString;
  while (pos_ < in_.size()) {
    char c = in_[pos_++];
    if (c == '\'') {
      if (pos_ < in_.size() && in_[pos_] == '\'') {  // '' is a literal quote
        t->text += '\'';
        ++pos_;
        continue;
      }
      return Status::OK();
    }
    if (c == '\\' && pos_ < in_.size()) {
      char e = in_[pos_++];
      switch (e) {
        case '\\':
          t->text += '\\';
          break;
        case '\'':
          t->text += '\'';
          break;
        case '"':
          t->text += '"';
          break;
        case 'n':
          t->text += '\n';
          break;
        case 't':
          t->text += '\t';
          break;
        case 'r':
          t->text += '\r';
          break;
        case '0':
          t->text += '\0';
          break;
        case 'b':
          t->text += '\b';
          break;
        case 'f':
          t->text += '\f';
          break;
        default:  // kept as written: LIKE patterns use \% and \_
          t->text += '\\';
          t->text += e;
      }
      continue;
    }
    t->text += c;
  }
  return ErrorAt(pos_, "expected ' to close the string at position " + std::to_string(open + 1));
}

Status Lexer::LexNumber(Token* t) {
  size_t start = pos_;
  while (pos_ < in_.size() && IsDigit(in_[pos_])) ++pos_;
  if (pos_ < in_.size() && in_[pos_] == '.') {
    ++pos_;
    while (pos_ < in_.size() && IsDigit(in_[pos_])) ++pos_;
  }
  if (pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
    size_t digits = pos_ + 1;
    if (digits < in_.size() && (in_[digits] == '+' || in_[digits] == '-')) ++digits;
    if (digits < in_.size() && IsDigit(in_[digits])) {
      pos_ = digits;
      while (pos_ < in_.size() && IsDigit(in_[pos_])) ++pos_;
    }
  }
  if (pos_ < in_.size() && (IsLetter(in_[pos_]) || in_[pos_] == '.')) {
    return ErrorAt(pos_, "unexpected " + parse::Quoted(in_.substr(pos_, 1)) + " right after the number " +
                             parse::Quoted(in_.substr(start, pos_ - start)));
  }
  t->kind = Token::Kind::kNumber;
  t->text = std::string(in_.substr(start, pos_ - start));
  return Status::OK();
}

Status Lexer::LexSymbol(Token* t) {
  static constexpr std::string_view kSymbols[] = {"==", "!=", "<>", "<=", ">=", "=", "<", ">", "(",
                                                  ")",  ",",  "+",  "-",  "*",  "/", "%", "[", "]"};
  for (std::string_view sym : kSymbols) {
    if (in_.substr(pos_, sym.size()) == sym) {
      t->kind = Token::Kind::kSymbol;
      t->text = std::string(sym);
      pos_ += sym.size();
      return Status::OK();
    }
  }
  if (in_[pos_] == '!') return ErrorAt(pos_, "unexpected '!' (write != for 'not equal', or NOT)");
  return ErrorAt(pos_, "unexpected character " + parse::Quoted(in_.substr(pos_, 1)));
}

std::string Describe(const Token& token, std::string_view input) {
  switch (token.kind) {
    case Token::Kind::kEnd:
      return "the end of the query";
    case Token::Kind::kString:
      return "the string " + parse::Quoted(token.text);
    default:
      return parse::Quoted(input.substr(token.pos, token.end - token.pos));
  }
}

}  // namespace otelstack::query::sql

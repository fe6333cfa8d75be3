// Tokens of the SQL WHERE subset (sql_parser.h), produced one at a time.
//
// Identifiers: [A-Za-z_][A-Za-z0-9_.]* (dots allowed inside, not at the end)
// or quoted with `...` / "..." (a doubled quote character escapes it).
// Strings: '...' with '' and the backslash escapes \\ \' \" \n \t \r \0 \b \f;
// any other backslash is kept as written, so LIKE patterns such as '\_' keep
// their escape. Numbers: 12, 1.5, .5, 1e-3 (no sign: unary minus is an
// operator). The keywords AND OR NOT IN LIKE ILIKE IS NULL TRUE FALSE are
// recognised case-insensitively, unless quoted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace otelstack::query::sql {

struct Token {
  enum class Kind { kEnd, kIdentifier, kString, kNumber, kKeyword, kSymbol };
  Kind kind = Kind::kEnd;
  size_t pos = 0;    // offset of the first byte
  size_t end = 0;    // offset one past the last byte
  std::string text;  // identifier name (unquoted), string value, number as
                     // written, keyword in upper case, or the symbol itself
};

class Lexer {
 public:
  explicit Lexer(std::string_view input) : in_(input) {}

  // Reads the token after the previous one into *token (kEnd at the end).
  // Fails with a positioned InvalidArgument on a malformed token.
  Status Next(Token* token);

 private:
  Status LexIdentifier(Token* t);
  Status LexQuotedIdentifier(Token* t);
  Status LexString(Token* t);
  Status LexNumber(Token* t);
  Status LexSymbol(Token* t);

  std::string_view in_;
  size_t pos_ = 0;
};

// `'text'` of a token for error messages ("the end of the query" at kEnd).
std::string Describe(const Token& token, std::string_view input);

}  // namespace otelstack::query::sql

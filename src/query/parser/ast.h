// The abstract syntax tree shared by both query languages.
//
// The Lucene-style search syntax (lucene_parser.h) and the SQL WHERE subset
// (sql_parser.h) parse into this one tree, so binding, planning and
// execution never know which language a query was written in.
//
// The tree is purely syntactic: field names are kept as written and are
// resolved against a signal's schema later (planner/binder.h). Every node
// carries the byte offset in the query text where it starts, so that later
// stages can report errors with a position too.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace otelstack::query::ast {

// A reference to a value of a row, as written by the user.
//   `ServiceName`                -> name "ServiceName", no key
//   `http.status_code`           -> name "http.status_code", no key
//                                   (a column, else an attribute key resolved
//                                   across the signal's attribute maps)
//   `ResourceAttributes.k8s.pod` -> name "ResourceAttributes.k8s.pod", no key
//                                   (the binder splits qualified names)
//   `LogAttributes['k']` (SQL)   -> name "LogAttributes", map_key "k"
struct Field {
  std::string name;
  bool has_map_key = false;
  std::string map_key;
};

struct Literal {
  enum class Kind : uint8_t { kNull, kString, kNumber };
  Kind kind = Kind::kNull;
  std::string text;    // kString: the unescaped value; kNumber: as written ("500", "1.5e3")
  double number = 0;   // kNumber
  bool is_integer = false;  // kNumber written without '.', 'e' and fits int64
  int64_t integer = 0;      // kNumber when is_integer
};

// How a free-text term is matched (Lucene bare words, quoted phrases and
// wildcards). Matching is always case-insensitive.
enum class TextMode : uint8_t {
  kToken,      // `error`   : a whole token equal to the text
  kPrefix,     // `err*`    : a token starting with the text
  kSuffix,     // `*rror`   : a token ending with the text
  kSubstring,  // `*rro*`   : the text anywhere in the value
  kPhrase,     // `"connection refused"` : the tokens of the text, adjacent and in order
};

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
enum class ArithOp : uint8_t { kAdd, kSub, kMul, kDiv, kMod };

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Node {
  enum class Kind : uint8_t {
    // ---- boolean ----
    kAnd,         // children: 2+ predicates
    kOr,          // children: 2+ predicates
    kNot,         // children[0]: a predicate
    kText,        // free text: `field` (when has_field) or the default text
                  // fields (Body / attribute values), `text`, `text_mode`
    kCompare,     // children[0] op children[1] (scalars)
    kIn,          // children[0] [NOT] IN (children[1..]) ; `negated`
    kLike,        // children[0] [NOT] [I]LIKE children[1] (a string literal);
                  // `negated`, `case_insensitive`; SQL '%' and '_' wildcards
    kIsNull,      // children[0] IS [NOT] NULL ; `negated` for IS NOT NULL
    kExists,      // Lucene `field:*`: the field is present (non-empty / key set)
    kRange,       // Lucene `field:[lo TO hi]` / `{lo TO hi}`: children[0] field,
                  // children[1] lo, children[2] hi; `lo_inclusive`, `hi_inclusive`;
                  // a `*` bound is a kNull literal meaning unbounded
    // ---- scalar ----
    kField,       // `field`
    kLiteral,     // `literal`
    kArith,       // children[0] arith_op children[1]
    kNegate,      // -children[0]
  };

  Kind kind;
  size_t pos = 0;  // byte offset in the query text

  std::vector<NodePtr> children;

  bool has_field = false;  // kText only
  Field field;             // kText (when has_field), kExists, kField
  Literal literal;         // kLiteral
  std::string text;        // kText
  TextMode text_mode = TextMode::kToken;
  CompareOp compare_op = CompareOp::kEq;
  ArithOp arith_op = ArithOp::kAdd;
  bool negated = false;
  bool case_insensitive = false;
  bool lo_inclusive = true;
  bool hi_inclusive = true;

  explicit Node(Kind k, size_t p = 0) : kind(k), pos(p) {}
};

// A canonical one-line rendering of a tree, for tests and error messages,
// e.g. `(AND (TEXT token "error") (CMP = (FIELD http.status_code) 500))`.
std::string ToString(const Node& node);

}  // namespace otelstack::query::ast

// A query bound to one signal's schema: what the executor runs.
//
// The binder (binder.h) turns the syntactic tree (parser/ast.h) into this
// form: every field becomes a ValueSource (a column, or an attribute key looked
// up in one or more attribute maps), ranges become comparisons, and text
// patterns are case-folded once. Execution never looks at names again.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "query/parser/ast.h"
#include "store/schema/schema.h"

namespace otelstack::query {

// Where a row's value comes from.
struct ValueSource {
  enum class Kind : uint8_t { kColumn, kAttribute };
  Kind kind = Kind::kColumn;
  size_t column = 0;                      // kColumn: index in SchemaOf(signal)
  ColumnType type = ColumnType::kString;  // kColumn
  std::vector<size_t> maps;               // kAttribute: attribute map columns, searched in order (first hit wins)
  std::string key;                        // kAttribute
  std::string display;                    // the field as the user wrote it (messages, output headers)
};

struct BoundNode;
using BoundPtr = std::unique_ptr<BoundNode>;

struct BoundNode {
  enum class Kind : uint8_t {
    // predicates
    kAnd,
    kOr,
    kNot,
    kConst,    // `const_value`
    kText,     // free text in `source` (has_source) or in the signal's indexed text (store/skip_index)
    kCompare,  // children[0] compare_op children[1]
    kIn,       // children[0] [NOT] IN children[1..]
    kLike,     // children[0] [NOT] [I]LIKE `pattern`
    kIsNull,   // `source` IS [NOT] NULL (an attribute is null when absent; an Any column when empty)
    kExists,   // `source` present: attribute key set, string column non-empty
    // scalars
    kValue,    // `source`
    kLiteral,  // `literal`
    kArith,    // children[0] arith_op children[1]
    kNegate,
  };
  explicit BoundNode(Kind k) : kind(k) {}

  Kind kind;
  std::vector<BoundPtr> children;
  bool has_source = false;
  ValueSource source;
  ast::Literal literal;
  std::string text;  // kText: case-folded pattern text; kLike: the pattern
  ast::TextMode text_mode = ast::TextMode::kToken;
  ast::CompareOp compare_op = ast::CompareOp::kEq;
  ast::ArithOp arith_op = ast::ArithOp::kAdd;
  bool negated = false;
  bool case_insensitive = false;
  bool const_value = true;
};

// A bound filter. `root` is null for "every row".
struct BoundFilter {
  Signal signal = Signal::kLogs;
  BoundPtr root;
  // The columns the filter reads (ascending), so a scan decodes only these.
  std::vector<size_t> columns;
};

}  // namespace otelstack::query

#include "query/execution/filter.h"

#include <algorithm>
#include <cmath>

#include "common/any_value_json.h"
#include "common/file_util.h"
#include "query/execution/row_value.h"
#include "query/execution/text_match.h"
#include "query/planner/binder.h"
#include "store/skip_index/tokenizer.h"

namespace otelstack::query {

using Kind = BoundNode::Kind;

struct CompiledFilter::Node {
  const BoundNode* bound = nullptr;
  std::vector<std::unique_ptr<Node>> children;
  size_t slot = 0;   // scalars: where Eval puts the value
  RowValue literal;  // kLiteral
  std::unique_ptr<TextPattern> text;
  std::unique_ptr<LikePattern> like;
  // Pruning: every hash must be in the granule's token filter (`tokens`), or
  // the trace id must be in the trace-id filter.
  bool prunable_by_tokens = false;
  std::vector<tokens::TokenKey> tokens;
  bool prunable_by_trace_id = false;
  uint64_t trace_id_hash = 0;
  // Per-distinct-value evaluation (RowBatch::Codes): a leaf reading a single
  // column (`single_column` >= 0) remembers its result per dictionary code in
  // memo slot `memo`; a default-text leaf uses slots memo .. memo + k - 1, one
  // per text column and attribute map it searches.
  int single_column = -1;
  size_t memo = 0;
  // kCompare (= or !=) of an id column with a lowercase hex literal: the row's
  // raw id bytes compare with the literal's bytes (`raw_id`) instead of hex
  // encoding every row. Lowercase hex is how ids read as values, and the
  // encoding is one to one, so the result is the same.
  int raw_id_column = -1;
  std::string raw_id;
};

namespace {

using Node = CompiledFilter::Node;

// Per-call scratch: scalar slots and buffers, so Filter is reentrant.
struct EvalContext {
  // Results per dictionary code, by memo slot: -1 unknown, 0 no, 1 yes.
  // Valid for one batch (Filter makes a context per call).
  std::vector<std::vector<int8_t>> memos;
  std::vector<RowValue> values;
  std::vector<std::string_view> scratch;  // TextPattern token lists
  std::string text;                       // text forms of non-string values

  // Maps the batch lacks (may be null), and their fields, read on first use:
  // [2 * i] without numbers, [2 * i + 1] with them, for unread->columns[i].
  const UnreadMaps* unread = nullptr;
  std::vector<std::unique_ptr<MapFields>> unread_fields;

  bool IsUnread(size_t map) const {
    return unread != nullptr && std::find(unread->columns.begin(), unread->columns.end(), map) != unread->columns.end();
  }
  // The fields of unread map `map` (REQUIRES: IsUnread), with the numeric
  // ones or without.
  Status UnreadFields(size_t map, bool numbers, const MapFields** out) {
    const size_t i = std::find(unread->columns.begin(), unread->columns.end(), map) - unread->columns.begin();
    std::unique_ptr<MapFields>& fields = unread_fields[2 * i + (numbers ? 1 : 0)];
    if (!fields) {
      auto read = std::make_unique<MapFields>();
      OTELSTACK_RETURN_IF_ERROR(unread->reader->ReadGranuleMapFields(
          unread->granule, map,
          [numbers](anyvalue::Tag t) { return numbers || (t != anyvalue::Tag::kInt && t != anyvalue::Tag::kDouble); },
          read.get()));
      fields = std::move(read);
    }
    *out = fields.get();
    return Status::OK();
  }
};

bool IsIndexedSource(Signal signal, const ValueSource& source) {
  const IndexedText& indexed = IndexedTextOf(signal);
  if (source.kind == ValueSource::Kind::kColumn) {
    return std::find(indexed.text_columns.begin(), indexed.text_columns.end(), source.column) !=
           indexed.text_columns.end();
  }
  return std::all_of(source.maps.begin(), source.maps.end(), [&](size_t m) {
    return std::find(indexed.attribute_maps.begin(), indexed.attribute_maps.end(), m) != indexed.attribute_maps.end();
  });
}

std::vector<tokens::TokenKey> AllTokenKeys(std::string_view text) {
  std::vector<tokens::TokenKey> out;
  tokens::ForEachToken(text, [&](std::string_view t) { out.push_back(tokens::KeyOf(t)); });
  return out;
}

// Equality of an indexed source with a string literal: the stored text equals
// the literal, so it holds all of the literal's tokens. (Not for literals that
// parse as numbers: those compare numerically, e.g. "500.0" = 500.)
void PrepareEqualityPruning(Signal signal, const BoundNode& value, const BoundNode& literal, Node* node) {
  if (value.kind != Kind::kValue || literal.kind != Kind::kLiteral) return;
  if (literal.literal.kind != ast::Literal::Kind::kString) return;
  const std::string& text = literal.literal.text;
  if (value.source.kind == ValueSource::Kind::kColumn && value.source.type == ColumnType::kId &&
      SchemaOf(signal)[value.source.column].name == "TraceId") {
    std::string raw;
    if (text.size() == 32 && HexDecode(text, &raw)) {
      node->prunable_by_trace_id = true;
      node->trace_id_hash = TraceIdHash(raw);
    }
    return;
  }
  if (ParseNumber(text) || !IsIndexedSource(signal, value.source)) return;
  node->tokens = AllTokenKeys(text);
  node->prunable_by_tokens = !node->tokens.empty();
}

void PrepareRawIdComparison(const BoundNode& compare, Node* node) {
  if (compare.compare_op != ast::CompareOp::kEq && compare.compare_op != ast::CompareOp::kNe) return;
  for (int side = 0; side < 2; ++side) {
    const BoundNode& value = *compare.children[side];
    const BoundNode& literal = *compare.children[1 - side];
    if (value.kind != Kind::kValue || value.source.kind != ValueSource::Kind::kColumn ||
        value.source.type != ColumnType::kId || literal.kind != Kind::kLiteral ||
        literal.literal.kind != ast::Literal::Kind::kString) {
      continue;
    }
    std::string raw;
    if (!HexDecode(literal.literal.text, &raw) || HexEncode(raw) != literal.literal.text) return;
    node->raw_id_column = static_cast<int>(value.source.column);
    node->raw_id = std::move(raw);
    return;
  }
}

class Compiler {
 public:
  explicit Compiler(Signal signal) : signal_(signal) {}

  std::unique_ptr<Node> Compile(const BoundNode& b) {
    auto n = std::make_unique<Node>();
    n->bound = &b;
    for (const auto& child : b.children) n->children.push_back(Compile(*child));
    if (b.kind == Kind::kText && !b.has_source) {
      const IndexedText& indexed = IndexedTextOf(signal_);
      n->memo = memos_;
      memos_ += indexed.text_columns.size() + indexed.attribute_maps.size();
    } else if (IsLeaf(b.kind)) {
      std::vector<size_t> columns;
      CollectColumns(b, &columns);
      std::sort(columns.begin(), columns.end());
      columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
      if (columns.size() == 1) {
        n->single_column = static_cast<int>(columns[0]);
        n->memo = memos_++;
      }
    }
    switch (b.kind) {
      case Kind::kValue:
      case Kind::kArith:
      case Kind::kNegate:
        n->slot = slots_++;
        break;
      case Kind::kLiteral:
        n->literal = LiteralValue(b.literal);
        break;
      case Kind::kText:
        n->text = std::make_unique<TextPattern>(b.text, b.text_mode);
        if (!b.has_source || IsIndexedSource(signal_, b.source)) {
          n->tokens = n->text->RequiredTokenKeys();
          n->prunable_by_tokens = !n->tokens.empty();
        }
        break;
      case Kind::kLike:
        n->like = std::make_unique<LikePattern>(b.text, b.case_insensitive);
        break;
      case Kind::kCompare:
        PrepareRawIdComparison(b, n.get());
        if (b.compare_op == ast::CompareOp::kEq) {
          PrepareEqualityPruning(signal_, *b.children[0], *b.children[1], n.get());
          if (!n->prunable_by_tokens && !n->prunable_by_trace_id) {
            PrepareEqualityPruning(signal_, *b.children[1], *b.children[0], n.get());
          }
        }
        break;
      default:
        break;
    }
    return n;
  }
  size_t slots() const { return slots_; }
  size_t memos() const { return memos_; }

 private:
  static bool IsLeaf(Kind k) {
    return k == Kind::kText || k == Kind::kCompare || k == Kind::kIn || k == Kind::kLike || k == Kind::kIsNull ||
           k == Kind::kExists;
  }
  static void CollectColumns(const BoundNode& b, std::vector<size_t>* columns) {
    if (b.has_source) AddSourceColumns(b.source, columns);
    for (const auto& child : b.children) CollectColumns(*child, columns);
  }

  Signal signal_;
  size_t slots_ = 0;
  size_t memos_ = 0;
};

// ---- Scalars ---------------------------------------------------------------

bool AsNumber(const RowValue& v, RowValue* out) {
  if (v.is_number()) {
    *out = v;
    return true;
  }
  if (v.kind != RowValue::Kind::kString) return false;
  auto parsed = ParseNumber(v.str());
  if (!parsed) return false;
  *out = *parsed;
  return true;
}

Status Eval(const Node& n, const RowBatch& batch, size_t row, EvalContext& ctx, const RowValue** out);

Status EvalArith(const Node& n, const RowBatch& batch, size_t row, EvalContext& ctx, RowValue* result) {
  result->kind = RowValue::Kind::kNull;
  const RowValue* a = nullptr;
  OTELSTACK_RETURN_IF_ERROR(Eval(*n.children[0], batch, row, ctx, &a));
  RowValue x, y;
  if (!AsNumber(*a, &x)) return Status::OK();
  if (n.bound->kind == Kind::kNegate) {
    if (x.kind == RowValue::Kind::kInt && x.i != INT64_MIN) {
      result->kind = RowValue::Kind::kInt;
      result->i = -x.i;
    } else {
      result->kind = RowValue::Kind::kDouble;
      result->d = -x.AsDouble();
    }
    return Status::OK();
  }
  const RowValue* b = nullptr;
  OTELSTACK_RETURN_IF_ERROR(Eval(*n.children[1], batch, row, ctx, &b));
  if (!AsNumber(*b, &y)) return Status::OK();
  bool ints = x.kind == RowValue::Kind::kInt && y.kind == RowValue::Kind::kInt;
  int64_t r = 0;
  switch (n.bound->arith_op) {
    case ast::ArithOp::kAdd:
      if (ints && !__builtin_add_overflow(x.i, y.i, &r)) break;
      result->kind = RowValue::Kind::kDouble;
      result->d = x.AsDouble() + y.AsDouble();
      return Status::OK();
    case ast::ArithOp::kSub:
      if (ints && !__builtin_sub_overflow(x.i, y.i, &r)) break;
      result->kind = RowValue::Kind::kDouble;
      result->d = x.AsDouble() - y.AsDouble();
      return Status::OK();
    case ast::ArithOp::kMul:
      if (ints && !__builtin_mul_overflow(x.i, y.i, &r)) break;
      result->kind = RowValue::Kind::kDouble;
      result->d = x.AsDouble() * y.AsDouble();
      return Status::OK();
    case ast::ArithOp::kDiv:  // always floating point, like ClickHouse's '/'
      if (y.AsDouble() == 0) return Status::OK();
      result->kind = RowValue::Kind::kDouble;
      result->d = x.AsDouble() / y.AsDouble();
      return Status::OK();
    case ast::ArithOp::kMod:
      if (ints) {
        if (y.i == 0 || (x.i == INT64_MIN && y.i == -1)) return Status::OK();
        r = x.i % y.i;
        break;
      }
      if (y.AsDouble() == 0) return Status::OK();
      result->kind = RowValue::Kind::kDouble;
      result->d = std::fmod(x.AsDouble(), y.AsDouble());
      return Status::OK();
  }
  result->kind = RowValue::Kind::kInt;
  result->i = r;
  return Status::OK();
}

Status Eval(const Node& n, const RowBatch& batch, size_t row, EvalContext& ctx, const RowValue** out) {
  switch (n.bound->kind) {
    case Kind::kLiteral:
      *out = &n.literal;
      return Status::OK();
    case Kind::kValue:
      *out = &ctx.values[n.slot];
      return ReadRowValue(n.bound->source, batch, row, &ctx.values[n.slot]);
    case Kind::kArith:
    case Kind::kNegate:
      *out = &ctx.values[n.slot];
      return EvalArith(n, batch, row, ctx, &ctx.values[n.slot]);
    default:
      return Status::Internal("a condition used as a value");
  }
}

template <typename T>
bool Ordered(const T& a, const T& b, ast::CompareOp op) {
  switch (op) {
    case ast::CompareOp::kEq:
      return a == b;
    case ast::CompareOp::kNe:
      return a != b;
    case ast::CompareOp::kLt:
      return a < b;
    case ast::CompareOp::kLe:
      return a <= b;
    case ast::CompareOp::kGt:
      return a > b;
    case ast::CompareOp::kGe:
      return a >= b;
  }
  return false;
}

// The comparison rules of row_value.h.
bool CompareValues(const RowValue& a, const RowValue& b, ast::CompareOp op) {
  if (a.is_number() && b.is_number()) {
    if (a.kind == RowValue::Kind::kInt && b.kind == RowValue::Kind::kInt) return Ordered(a.i, b.i, op);
    double x = a.AsDouble(), y = b.AsDouble();
    if (std::isnan(x) || std::isnan(y)) return op == ast::CompareOp::kNe;
    return Ordered(x, y, op);
  }
  if (a.is_number() || b.is_number()) {
    const RowValue& number = a.is_number() ? a : b;
    const RowValue& other = a.is_number() ? b : a;
    std::string_view text = other.kind == RowValue::Kind::kString ? other.str() : std::string_view();
    if (auto parsed = ParseNumber(text)) {
      return a.is_number() ? CompareValues(a, *parsed, op) : CompareValues(*parsed, b, op);
    }
    if (op != ast::CompareOp::kEq && op != ast::CompareOp::kNe) return false;
    std::string number_text;
    AppendValueText(number, &number_text);
    return (number_text == text) == (op == ast::CompareOp::kEq);
  }
  // Strings, with null (a missing attribute) as "".
  std::string_view x = a.kind == RowValue::Kind::kString ? a.str() : std::string_view();
  std::string_view y = b.kind == RowValue::Kind::kString ? b.str() : std::string_view();
  return Ordered(x, y, op);
}

// ---- Predicates --------------------------------------------------------------

Status TextOf(const RowValue& v, std::string* buffer, std::string_view* out) {
  if (v.kind == RowValue::Kind::kString) {
    *out = v.str();
  } else {
    buffer->clear();
    AppendValueText(v, buffer);
    *out = *buffer;
  }
  return Status::OK();
}

// Evaluates `test` for `row` once per dictionary code of `column` (when the
// batch has codes for it) and reuses the result for rows with the same code.
template <typename Test>
Status Memoized(const RowBatch& batch, size_t column, size_t row, std::vector<int8_t>& memo, bool* match, Test&& test) {
  std::span<const uint32_t> codes = batch.Codes(column);
  if (codes.empty()) return test(match);
  if (memo.empty()) memo.assign(batch.CodeRows(column).size(), -1);
  int8_t& known = memo[codes[row]];
  if (known < 0) {
    OTELSTACK_RETURN_IF_ERROR(test(match));
    known = *match ? 1 : 0;
  }
  *match = known == 1;
  return Status::OK();
}

// Free-text leaf `n` against the values of map `map`, which the batch lacks
// (EvalContext::IsUnread): sets (*results)[row] to 1 for each of the batch's
// `rows` rows with a matching value, else 0. Each distinct value of a field
// stored with a dictionary is tested once.
Status MatchUnreadMap(const Node& n, size_t map, size_t rows, EvalContext& ctx, std::vector<int8_t>* results) {
  const MapFields* fields = nullptr;
  OTELSTACK_RETURN_IF_ERROR(ctx.UnreadFields(map, n.text->CanMatchNumbers(), &fields));
  results->assign(rows, 0);
  anyvalue::Value v;
  auto matches = [&](const MapField& f, std::string_view value) -> int8_t {
    std::string_view text;
    if (!f.ValueOf(value, &v).ok() || !anyvalue::ValueText(v, &ctx.text, &text).ok()) return -1;
    return n.text->Matches(text, &ctx.scratch) ? 1 : 0;
  };
  std::vector<int8_t> entry_results;
  for (const MapField& f : fields->fields) {
    if (!f.codes.empty()) entry_results.assign(f.values.size(), -2);  // -2: not tested yet
    for (size_t k = 0; k < f.rows.size(); ++k) {
      if (f.rows[k] >= rows) return Status::Corruption("attribute map of more rows than its granule");
      int8_t& result = (*results)[f.rows[k]];
      if (result == 1) continue;
      if (f.codes.empty()) {
        result = matches(f, f.values[k]);
      } else {
        int8_t& known = entry_results[f.codes[k]];
        if (known == -2) known = matches(f, f.values[f.codes[k]]);
        result = known;
      }
      if (result < 0) return Status::Corruption("malformed value of attribute " + std::string(f.key));
    }
  }
  return Status::OK();
}

Status DefaultTextMatches(const Node& n, const RowBatch& batch, size_t row, EvalContext& ctx, bool* match) {
  const IndexedText& indexed = IndexedTextOf(batch.signal());
  auto schema = SchemaOf(batch.signal());
  RowValue v;
  size_t memo = n.memo;
  for (size_t col : indexed.text_columns) {
    OTELSTACK_RETURN_IF_ERROR(Memoized(batch, col, row, ctx.memos[memo++], match, [&](bool* found) -> Status {
      ValueSource source;
      source.column = col;
      source.type = schema[col].type;
      OTELSTACK_RETURN_IF_ERROR(ReadRowValue(source, batch, row, &v));
      *found = false;
      if (v.kind == RowValue::Kind::kNull) return Status::OK();
      std::string_view text;
      OTELSTACK_RETURN_IF_ERROR(TextOf(v, &ctx.text, &text));
      *found = n.text->Matches(text, &ctx.scratch);
      return Status::OK();
    }));
    if (*match) return Status::OK();
  }
  for (size_t map : indexed.attribute_maps) {
    if (ctx.IsUnread(map)) {  // its memo slot holds each row's result
      std::vector<int8_t>& results = ctx.memos[memo++];
      if (results.empty()) OTELSTACK_RETURN_IF_ERROR(MatchUnreadMap(n, map, batch.rows(), ctx, &results));
      if (results[row] == 1) {
        *match = true;
        return Status::OK();
      }
      continue;
    }
    OTELSTACK_RETURN_IF_ERROR(Memoized(batch, map, row, ctx.memos[memo++], match, [&](bool* found) {
      return anyvalue::ForEachMapValueText(
          batch.Bytes(map, row), &ctx.text, [&](std::string_view text) { return n.text->Matches(text, &ctx.scratch); },
          found, /*skip_numbers=*/!n.text->CanMatchNumbers());
    }));
    if (*match) return Status::OK();
  }
  *match = false;
  return Status::OK();
}

bool IsNullValue(const RowValue& v) { return v.kind == RowValue::Kind::kNull; }

bool ExistsValue(const BoundNode& b, const RowValue& v) {
  if (v.kind == RowValue::Kind::kNull) return false;
  if (v.kind == RowValue::Kind::kString) return !v.str().empty();
  return true;
}

// One row against a leaf predicate.
Status TestRow(const Node& n, const RowBatch& batch, size_t row, EvalContext& ctx, bool* match) {
  const BoundNode& b = *n.bound;
  switch (b.kind) {
    case Kind::kConst:
      *match = b.const_value;
      return Status::OK();
    case Kind::kText: {
      if (!b.has_source) return DefaultTextMatches(n, batch, row, ctx, match);
      RowValue v;
      OTELSTACK_RETURN_IF_ERROR(ReadRowValue(b.source, batch, row, &v));
      std::string_view text;
      OTELSTACK_RETURN_IF_ERROR(TextOf(v, &ctx.text, &text));
      *match = v.kind != RowValue::Kind::kNull && n.text->Matches(text, &ctx.scratch);
      return Status::OK();
    }
    case Kind::kCompare: {
      if (n.raw_id_column >= 0) {
        const bool equal = batch.Bytes(n.raw_id_column, row) == n.raw_id;
        *match = equal == (b.compare_op == ast::CompareOp::kEq);
        return Status::OK();
      }
      const RowValue *x = nullptr, *y = nullptr;
      OTELSTACK_RETURN_IF_ERROR(Eval(*n.children[0], batch, row, ctx, &x));
      OTELSTACK_RETURN_IF_ERROR(Eval(*n.children[1], batch, row, ctx, &y));
      *match = CompareValues(*x, *y, b.compare_op);
      return Status::OK();
    }
    case Kind::kIn: {
      const RowValue* x = nullptr;
      OTELSTACK_RETURN_IF_ERROR(Eval(*n.children[0], batch, row, ctx, &x));
      bool found = false;
      for (size_t i = 1; i < n.children.size() && !found; ++i) {
        const RowValue* y = nullptr;
        OTELSTACK_RETURN_IF_ERROR(Eval(*n.children[i], batch, row, ctx, &y));
        found = CompareValues(*x, *y, ast::CompareOp::kEq);
      }
      *match = found != b.negated;
      return Status::OK();
    }
    case Kind::kLike: {
      const RowValue* x = nullptr;
      OTELSTACK_RETURN_IF_ERROR(Eval(*n.children[0], batch, row, ctx, &x));
      std::string_view text;
      OTELSTACK_RETURN_IF_ERROR(TextOf(*x, &ctx.text, &text));
      *match = n.like->Matches(text) != b.negated;
      return Status::OK();
    }
    case Kind::kIsNull:
    case Kind::kExists: {
      RowValue v;
      OTELSTACK_RETURN_IF_ERROR(ReadRowValue(b.source, batch, row, &v));
      bool result = b.kind == Kind::kIsNull ? IsNullValue(v) : ExistsValue(b, v);
      *match = result != b.negated;
      return Status::OK();
    }
    default:
      return Status::Internal("not a row predicate");
  }
}

Status Narrow(const Node& n, const RowBatch& batch, std::vector<uint32_t>* rows, EvalContext& ctx) {
  const BoundNode& b = *n.bound;
  switch (b.kind) {
    case Kind::kAnd:
      for (const auto& child : n.children) {
        if (rows->empty()) break;
        OTELSTACK_RETURN_IF_ERROR(Narrow(*child, batch, rows, ctx));
      }
      return Status::OK();
    case Kind::kOr: {
      std::vector<uint32_t> remaining = *rows, matched, branch, rest;
      for (const auto& child : n.children) {
        if (remaining.empty()) break;
        branch = remaining;
        OTELSTACK_RETURN_IF_ERROR(Narrow(*child, batch, &branch, ctx));
        if (branch.empty()) continue;
        std::vector<uint32_t> merged;
        std::merge(matched.begin(), matched.end(), branch.begin(), branch.end(), std::back_inserter(merged));
        matched.swap(merged);
        rest.clear();
        std::set_difference(remaining.begin(), remaining.end(), branch.begin(), branch.end(), std::back_inserter(rest));
        remaining.swap(rest);
      }
      rows->swap(matched);
      return Status::OK();
    }
    case Kind::kNot: {
      std::vector<uint32_t> inner = *rows, out;
      OTELSTACK_RETURN_IF_ERROR(Narrow(*n.children[0], batch, &inner, ctx));
      std::set_difference(rows->begin(), rows->end(), inner.begin(), inner.end(), std::back_inserter(out));
      rows->swap(out);
      return Status::OK();
    }
    default: {
      size_t kept = 0;
      for (uint32_t row : *rows) {
        bool match = false;
        if (n.single_column >= 0) {
          OTELSTACK_RETURN_IF_ERROR(Memoized(batch, n.single_column, row, ctx.memos[n.memo], &match,
                                             [&](bool* m) { return TestRow(n, batch, row, ctx, m); }));
        } else {
          OTELSTACK_RETURN_IF_ERROR(TestRow(n, batch, row, ctx, &match));
        }
        if (match) (*rows)[kept++] = row;
      }
      rows->resize(kept);
      return Status::OK();
    }
  }
}

bool MayMatchNode(const Node& n, const SkipIndex& index, size_t g) {
  const BoundNode& b = *n.bound;
  switch (b.kind) {
    case Kind::kAnd:
      return std::all_of(n.children.begin(), n.children.end(),
                         [&](const auto& c) { return MayMatchNode(*c, index, g); });
    case Kind::kOr:
      return std::any_of(n.children.begin(), n.children.end(),
                         [&](const auto& c) { return MayMatchNode(*c, index, g); });
    case Kind::kConst:
      return b.const_value;
    default:
      break;
  }
  if (n.prunable_by_trace_id && !index.MayContainTraceId(g, n.trace_id_hash)) return false;
  if (n.prunable_by_tokens) {
    for (const tokens::TokenKey& token : n.tokens) {
      if (!index.MayContainToken(g, token)) return false;
    }
  }
  return true;
}

}  // namespace

CompiledFilter::~CompiledFilter() = default;

Status CompiledFilter::Compile(const BoundFilter& bound, std::unique_ptr<CompiledFilter>* out) {
  std::unique_ptr<CompiledFilter> f(new CompiledFilter());
  f->bound_ = &bound;
  if (bound.root) {
    Compiler compiler(bound.signal);
    f->root_ = compiler.Compile(*bound.root);
    f->slots_ = compiler.slots();
    f->memos_ = compiler.memos();
  }
  *out = std::move(f);
  return Status::OK();
}

Status CompiledFilter::Filter(const RowBatch& batch, std::vector<uint32_t>* rows, const UnreadMaps* unread) const {
  if (!root_) return Status::OK();
  EvalContext ctx;
  ctx.unread = unread;
  if (unread != nullptr) ctx.unread_fields.resize(2 * unread->columns.size());
  ctx.values.resize(slots_);
  ctx.memos.resize(memos_);
  return Narrow(*root_, batch, rows, ctx);
}

bool CompiledFilter::MayMatch(const SkipIndex& index, size_t g) const {
  return !root_ || MayMatchNode(*root_, index, g);
}

}  // namespace otelstack::query

#include "query/planner/binder.h"

#include <strings.h>

#include <algorithm>
#include <map>
#include <set>

#include "store/skip_index/skip_index.h"
#include "store/skip_index/tokenizer.h"

namespace otelstack::query {

namespace {

using ast::Node;

Status ErrorAt(const Node& n, const std::string& message) {
  return Status::InvalidArgument("at position " + std::to_string(n.pos + 1) + ": " + message);
}

bool IsAttributeMap(Signal signal, size_t col) {
  auto schema = SchemaOf(signal);
  return schema[col].type == ColumnType::kAny && schema[col].name.ends_with("Attributes");
}

std::vector<size_t> DefaultAttributeMaps(Signal signal) {
  std::vector<size_t> maps;
  const char* first = signal == Signal::kLogs     ? "LogAttributes"
                      : signal == Signal::kTraces ? "SpanAttributes"
                                                  : "Attributes";
  for (const char* name : {first, "ResourceAttributes", "ScopeAttributes"}) maps.push_back(ColumnIndex(signal, name));
  return maps;
}

int FindColumn(Signal signal, std::string_view name) {
  int exact = ColumnIndex(signal, name);
  if (exact >= 0) return exact;
  auto schema = SchemaOf(signal);
  for (size_t c = 0; c < schema.size(); ++c) {
    if (schema[c].name.size() == name.size() && strncasecmp(schema[c].name.data(), name.data(), name.size()) == 0) {
      return static_cast<int>(c);
    }
  }
  return -1;
}

std::string FoldCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(tokens::FoldCase(static_cast<unsigned char>(c)));
  return out;
}

class Binder {
 public:
  explicit Binder(Signal signal) : signal_(signal) {}

  Status BindPredicate(const Node& n, BoundPtr* out) {
    switch (n.kind) {
      case Node::Kind::kAnd:
      case Node::Kind::kOr: {
        auto b = std::make_unique<BoundNode>(n.kind == Node::Kind::kAnd ? BoundNode::Kind::kAnd : BoundNode::Kind::kOr);
        for (const auto& child : n.children) {
          BoundPtr c;
          OTELSTACK_RETURN_IF_ERROR(BindPredicate(*child, &c));
          b->children.push_back(std::move(c));
        }
        *out = std::move(b);
        return Status::OK();
      }
      case Node::Kind::kNot: {
        auto b = std::make_unique<BoundNode>(BoundNode::Kind::kNot);
        BoundPtr c;
        OTELSTACK_RETURN_IF_ERROR(BindPredicate(*n.children.at(0), &c));
        b->children.push_back(std::move(c));
        *out = std::move(b);
        return Status::OK();
      }
      case Node::Kind::kText: {
        auto b = std::make_unique<BoundNode>(BoundNode::Kind::kText);
        if (n.has_field) {
          b->has_source = true;
          OTELSTACK_RETURN_IF_ERROR(Resolve(n, n.field, &b->source));
          AddSourceColumns(b->source, &columns_);
        } else {
          const IndexedText& indexed = IndexedTextOf(signal_);
          columns_.insert(columns_.end(), indexed.text_columns.begin(), indexed.text_columns.end());
          columns_.insert(columns_.end(), indexed.attribute_maps.begin(), indexed.attribute_maps.end());
        }
        b->text = FoldCase(n.text);
        b->text_mode = n.text_mode;
        *out = std::move(b);
        return Status::OK();
      }
      case Node::Kind::kCompare: {
        auto b = std::make_unique<BoundNode>(BoundNode::Kind::kCompare);
        b->compare_op = n.compare_op;
        OTELSTACK_RETURN_IF_ERROR(BindScalars(n, &b->children));
        *out = std::move(b);
        return Status::OK();
      }
      case Node::Kind::kIn: {
        auto b = std::make_unique<BoundNode>(BoundNode::Kind::kIn);
        b->negated = n.negated;
        OTELSTACK_RETURN_IF_ERROR(BindScalars(n, &b->children));
        *out = std::move(b);
        return Status::OK();
      }
      case Node::Kind::kLike: {
        auto b = std::make_unique<BoundNode>(BoundNode::Kind::kLike);
        b->negated = n.negated;
        b->case_insensitive = n.case_insensitive;
        if (n.children.size() != 2 || n.children[1]->kind != Node::Kind::kLiteral ||
            n.children[1]->literal.kind != ast::Literal::Kind::kString) {
          return ErrorAt(n, "LIKE needs a string pattern");
        }
        BoundPtr lhs;
        OTELSTACK_RETURN_IF_ERROR(BindScalar(*n.children[0], &lhs));
        b->children.push_back(std::move(lhs));
        b->text = n.children[1]->literal.text;
        *out = std::move(b);
        return Status::OK();
      }
      case Node::Kind::kIsNull:
      case Node::Kind::kExists: {
        const Node* target = &n;
        if (n.kind == Node::Kind::kIsNull) {
          if (n.children.size() != 1 || n.children[0]->kind != Node::Kind::kField) {
            return ErrorAt(n, "IS NULL applies to a field");
          }
          target = n.children[0].get();
        }
        auto b = std::make_unique<BoundNode>(n.kind == Node::Kind::kIsNull ? BoundNode::Kind::kIsNull
                                                                           : BoundNode::Kind::kExists);
        b->negated = n.negated;
        b->has_source = true;
        OTELSTACK_RETURN_IF_ERROR(Resolve(*target, target->field, &b->source));
        AddSourceColumns(b->source, &columns_);
        *out = std::move(b);
        return Status::OK();
      }
      case Node::Kind::kRange: {
        // field:[lo TO hi] == field >= lo AND field <= hi; an open bound is dropped.
        if (n.children.size() != 3) return ErrorAt(n, "malformed range");
        auto conj = std::make_unique<BoundNode>(BoundNode::Kind::kAnd);
        struct Bound {
          const Node* value;
          ast::CompareOp op;
        } bounds[] = {{n.children[1].get(), n.lo_inclusive ? ast::CompareOp::kGe : ast::CompareOp::kGt},
                      {n.children[2].get(), n.hi_inclusive ? ast::CompareOp::kLe : ast::CompareOp::kLt}};
        for (const Bound& bound : bounds) {
          if (bound.value->kind == Node::Kind::kLiteral && bound.value->literal.kind == ast::Literal::Kind::kNull) {
            continue;
          }
          auto cmp = std::make_unique<BoundNode>(BoundNode::Kind::kCompare);
          cmp->compare_op = bound.op;
          BoundPtr field, value;
          OTELSTACK_RETURN_IF_ERROR(BindScalar(*n.children[0], &field));
          OTELSTACK_RETURN_IF_ERROR(BindScalar(*bound.value, &value));
          cmp->children.push_back(std::move(field));
          cmp->children.push_back(std::move(value));
          conj->children.push_back(std::move(cmp));
        }
        if (conj->children.empty()) {  // [* TO *]: the field exists
          auto exists = std::make_unique<BoundNode>(BoundNode::Kind::kExists);
          exists->has_source = true;
          OTELSTACK_RETURN_IF_ERROR(Resolve(*n.children[0], n.children[0]->field, &exists->source));
          AddSourceColumns(exists->source, &columns_);
          *out = std::move(exists);
        } else if (conj->children.size() == 1) {
          *out = std::move(conj->children[0]);
        } else {
          *out = std::move(conj);
        }
        return Status::OK();
      }
      case Node::Kind::kField:
      case Node::Kind::kLiteral:
      case Node::Kind::kArith:
      case Node::Kind::kNegate:
        return ErrorAt(n, "expected a condition, found a value");
    }
    return ErrorAt(n, "unsupported query construct");
  }

  // Only what the predicates read: the scan adds the time column where it
  // needs it (execution/scan.h).
  std::vector<size_t> TakeColumns() {
    std::sort(columns_.begin(), columns_.end());
    columns_.erase(std::unique(columns_.begin(), columns_.end()), columns_.end());
    return std::move(columns_);
  }

 private:
  Status BindScalars(const Node& n, std::vector<BoundPtr>* out) {
    for (const auto& child : n.children) {
      BoundPtr c;
      OTELSTACK_RETURN_IF_ERROR(BindScalar(*child, &c));
      out->push_back(std::move(c));
    }
    if (out->size() < 2) return ErrorAt(n, "comparison needs two operands");
    return Status::OK();
  }

  Status BindScalar(const Node& n, BoundPtr* out) {
    switch (n.kind) {
      case Node::Kind::kField: {
        auto b = std::make_unique<BoundNode>(BoundNode::Kind::kValue);
        b->has_source = true;
        OTELSTACK_RETURN_IF_ERROR(Resolve(n, n.field, &b->source));
        AddSourceColumns(b->source, &columns_);
        *out = std::move(b);
        return Status::OK();
      }
      case Node::Kind::kLiteral: {
        auto b = std::make_unique<BoundNode>(BoundNode::Kind::kLiteral);
        b->literal = n.literal;
        *out = std::move(b);
        return Status::OK();
      }
      case Node::Kind::kArith:
      case Node::Kind::kNegate: {
        auto b = std::make_unique<BoundNode>(n.kind == Node::Kind::kArith ? BoundNode::Kind::kArith
                                                                          : BoundNode::Kind::kNegate);
        b->arith_op = n.arith_op;
        for (const auto& child : n.children) {
          BoundPtr c;
          OTELSTACK_RETURN_IF_ERROR(BindScalar(*child, &c));
          b->children.push_back(std::move(c));
        }
        *out = std::move(b);
        return Status::OK();
      }
      default:
        return ErrorAt(n, "expected a value, found a condition");
    }
  }

  Status Resolve(const Node& at, const ast::Field& field, ValueSource* out) {
    Status s = BindField(signal_, field, out);
    if (!s.ok()) return ErrorAt(at, s.message());
    return Status::OK();
  }

  Signal signal_;
  std::vector<size_t> columns_;
};

}  // namespace

Status BindField(Signal signal, const ast::Field& field, ValueSource* out) {
  *out = ValueSource();
  out->display = field.has_map_key ? field.name + "['" + field.map_key + "']" : field.name;
  if (field.has_map_key) {
    int col = FindColumn(signal, field.name);
    if (col < 0 || !IsAttributeMap(signal, col)) {
      return Status::InvalidArgument("'" + field.name + "' is not an attribute map of " +
                                     std::string(SignalName(signal)));
    }
    out->kind = ValueSource::Kind::kAttribute;
    out->maps = {static_cast<size_t>(col)};
    out->key = field.map_key;
    return Status::OK();
  }
  if (field.name.empty()) return Status::InvalidArgument("empty field name");
  int col = FindColumn(signal, field.name);
  if (col >= 0) {
    out->kind = ValueSource::Kind::kColumn;
    out->column = col;
    out->type = SchemaOf(signal)[col].type;
    return Status::OK();
  }
  size_t dot = field.name.find('.');
  if (dot != std::string::npos && dot + 1 < field.name.size()) {
    int map = FindColumn(signal, std::string_view(field.name).substr(0, dot));
    if (map >= 0 && IsAttributeMap(signal, map)) {
      out->kind = ValueSource::Kind::kAttribute;
      out->maps = {static_cast<size_t>(map)};
      out->key = field.name.substr(dot + 1);
      return Status::OK();
    }
  }
  out->kind = ValueSource::Kind::kAttribute;
  out->maps = DefaultAttributeMaps(signal);
  out->key = field.name;
  return Status::OK();
}

Status ParseFieldRef(std::string_view text, ast::Field* out) {
  *out = ast::Field();
  size_t open = text.find("['");
  if (open != std::string_view::npos) {
    if (!text.ends_with("']") || open + 4 > text.size()) {
      return Status::InvalidArgument("field '" + std::string(text) + "': expected Map['key']");
    }
    out->name = std::string(text.substr(0, open));
    out->has_map_key = true;
    out->map_key = std::string(text.substr(open + 2, text.size() - open - 4));
    return Status::OK();
  }
  if (text.empty()) return Status::InvalidArgument("empty field name");
  out->name = std::string(text);
  return Status::OK();
}

void AddSourceColumns(const ValueSource& source, std::vector<size_t>* columns) {
  if (source.kind == ValueSource::Kind::kColumn) {
    columns->push_back(source.column);
  } else {
    columns->insert(columns->end(), source.maps.begin(), source.maps.end());
  }
}

namespace {

// How a filter reads attribute maps: by key, whole (the map as a value), or
// for free text (each value's text).
struct MapReads {
  std::map<size_t, std::set<std::string>> keys;
  std::set<size_t> whole;
  std::set<size_t> text;
};

void CollectMapReads(const BoundNode& node, Signal signal, MapReads* reads) {
  if (node.has_source) {
    const ValueSource& source = node.source;
    if (source.kind == ValueSource::Kind::kAttribute) {
      for (size_t map : source.maps) reads->keys[map].insert(source.key);
    } else {
      reads->whole.insert(source.column);
    }
  } else if (node.kind == BoundNode::Kind::kText) {
    const IndexedText& indexed = IndexedTextOf(signal);
    reads->text.insert(indexed.attribute_maps.begin(), indexed.attribute_maps.end());
  }
  for (const BoundPtr& child : node.children) CollectMapReads(*child, signal, reads);
}

MapReads MapReadsOf(const BoundFilter& filter) {
  MapReads reads;
  if (filter.root) CollectMapReads(*filter.root, filter.signal, &reads);
  return reads;
}

}  // namespace

std::vector<ColumnKeys> KeyOnlyAttributeMaps(const BoundFilter& filter) {
  MapReads reads = MapReadsOf(filter);
  std::vector<ColumnKeys> out;
  for (auto& [column, column_keys] : reads.keys) {
    if (!reads.whole.count(column) && !reads.text.count(column)) {
      out.push_back({column, std::vector<std::string>(column_keys.begin(), column_keys.end())});
    }
  }
  return out;
}

std::vector<size_t> TextOnlyAttributeMaps(const BoundFilter& filter) {
  MapReads reads = MapReadsOf(filter);
  std::vector<size_t> out;
  for (size_t column : reads.text) {
    if (!reads.whole.count(column) && !reads.keys.count(column)) out.push_back(column);
  }
  return out;
}

Status BindFilter(Signal signal, const ast::Node* root, BoundFilter* out) {
  out->signal = signal;
  out->root.reset();
  Binder binder(signal);
  if (root != nullptr) OTELSTACK_RETURN_IF_ERROR(binder.BindPredicate(*root, &out->root));
  out->columns = binder.TakeColumns();
  return Status::OK();
}

}  // namespace otelstack::query

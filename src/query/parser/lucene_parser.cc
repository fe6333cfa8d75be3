#include "query/parser/lucene_parser.h"

#include <string>
#include <vector>

#include "query/parser/parse_support.h"

namespace otelstack::query {
namespace {

using ast::Node;
using ast::NodePtr;
using Kind = ast::Node::Kind;
using parse::ErrorAt;
using parse::IsSpace;
using parse::Quoted;

// A field the parser is applying values to: `name:value` or each value of a
// `name:( ... )` group.
struct FieldRef {
  std::string name;
  size_t pos = 0;  // offset of the field name in the query
};

// A word as scanned: the text with escapes resolved, and where the
// unescaped '*' wildcards are (an escaped `\*` is a literal star).
struct Word {
  size_t begin = 0;
  std::string text;
  std::vector<size_t> star_indexes;  // into `text`
  std::vector<size_t> star_offsets;  // into the query, for errors
};

// How a word scan ends.
enum class WordContext {
  kTerm,        // a bare term: an unescaped ':' (not "://") ends a field name
  kValue,       // after `field:`: colons are part of the value
  kRangeBound,  // inside [ ]: ']' and '}' also end the word
};

// The wildcards of a word: `*core`, `core*`, `*core*`, or just core.
struct Wildcards {
  bool leading = false;
  bool trailing = false;
  std::string core;
};

// Fails for a '*' anywhere but at the start or end of the word.
Status SplitWildcards(const Word& w, Wildcards* out) {
  size_t n = w.text.size();
  for (size_t k = 0; k < w.star_indexes.size(); ++k) {
    size_t i = w.star_indexes[k];
    if (i == 0) {
      out->leading = true;
    } else if (i == n - 1) {
      out->trailing = true;
    } else {
      return ErrorAt(w.star_offsets[k],
                     "'*' is only supported at the start or end of a word (write \\* for a literal '*')");
    }
  }
  size_t from = out->leading ? 1 : 0;
  size_t to = out->trailing ? n - 1 : n;
  out->core = from < to ? w.text.substr(from, to - from) : std::string();
  return Status::OK();
}

// The SQL LIKE pattern matching `core` with the given wildcards; the user's
// '%', '_' and '\' are escaped so they match themselves.
std::string LikePattern(const Wildcards& w) {
  std::string pattern;
  if (w.leading) pattern += '%';
  for (char c : w.core) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  if (w.trailing) pattern += '%';
  return pattern;
}

NodePtr NumberOrString(const std::string& text, size_t pos) {
  if (parse::LooksLikeNumber(text)) return parse::NumberLiteral(text, pos);
  return parse::StringLiteral(text, pos);
}

NodePtr Compare(ast::CompareOp op, const FieldRef& field, NodePtr literal, size_t pos) {
  auto node = std::make_unique<Node>(Kind::kCompare, pos);
  node->compare_op = op;
  node->children.push_back(parse::FieldNode(field.name, field.pos));
  node->children.push_back(std::move(literal));
  return node;
}

// " after 'X'" or "" for the start of a (sub)query.
std::string After(std::string_view what) { return what.empty() ? std::string() : " after " + std::string(what); }

class LuceneParser {
 public:
  explicit LuceneParser(std::string_view query) : q_(query) {}

  Status Parse(NodePtr* out) {
    NodePtr root;
    OTELSTACK_RETURN_IF_ERROR(ParseOr(nullptr, "", &root));
    SkipSpace();
    // ParseOr stops only at the end or at a ')' it did not open.
    if (!AtEnd()) return ErrorAt(pos_, "unexpected ')' without a matching '('");
    OTELSTACK_RETURN_IF_ERROR(parse::CheckTreeHeight(*root));
    *out = std::move(root);
    return Status::OK();
  }

 private:
  // or := and ('OR' and)*
  Status ParseOr(const FieldRef* group, std::string_view after, NodePtr* out) {
    std::vector<NodePtr> terms(1);
    OTELSTACK_RETURN_IF_ERROR(ParseAnd(group, after, &terms.back()));
    for (SkipSpace(); AtKeyword("OR"); SkipSpace()) {
      pos_ += 2;
      terms.emplace_back();
      OTELSTACK_RETURN_IF_ERROR(ParseAnd(group, "'OR'", &terms.back()));
    }
    *out = parse::JoinFlattened(Kind::kOr, std::move(terms));
    return Status::OK();
  }

  // and := unary (['AND'] unary)*
  Status ParseAnd(const FieldRef* group, std::string_view after, NodePtr* out) {
    std::vector<NodePtr> terms(1);
    OTELSTACK_RETURN_IF_ERROR(ParseUnary(group, after, &terms.back()));
    for (SkipSpace(); !AtEnd() && q_[pos_] != ')' && !AtKeyword("OR"); SkipSpace()) {
      std::string_view next_after;
      if (AtKeyword("AND")) {
        pos_ += 3;
        next_after = "'AND'";
      }
      terms.emplace_back();
      OTELSTACK_RETURN_IF_ERROR(ParseUnary(group, next_after, &terms.back()));
    }
    *out = parse::JoinFlattened(Kind::kAnd, std::move(terms));
    return Status::OK();
  }

  // unary := ('NOT' | '-') unary | primary
  Status ParseUnary(const FieldRef* group, std::string_view after, NodePtr* out) {
    SkipSpace();
    size_t start = pos_;
    bool is_not = AtKeyword("NOT");
    if (!is_not && !(!AtEnd() && q_[pos_] == '-')) return ParsePrimary(group, after, out);
    pos_ += is_not ? 3 : 1;
    parse::DepthGuard depth(&depth_);
    OTELSTACK_RETURN_IF_ERROR(depth.Check(start));
    if (!is_not && (AtEnd() || IsSpace(q_[pos_]))) {
      return ErrorAt(pos_, "expected a search term right after '-' (write -word, or NOT word)");
    }
    auto node = std::make_unique<Node>(Kind::kNot, start);
    node->children.emplace_back();
    OTELSTACK_RETURN_IF_ERROR(ParseUnary(group, is_not ? "'NOT'" : "'-'", &node->children.back()));
    *out = std::move(node);
    return Status::OK();
  }

  // primary := '(' or ')' | term        (term: a value of `group` if set)
  Status ParsePrimary(const FieldRef* group, std::string_view after, NodePtr* out) {
    SkipSpace();
    if (AtEnd()) return ErrorAt(pos_, "expected a search term" + After(after) + ", found the end of the query");
    if (q_[pos_] == ')') return ErrorAt(pos_, "expected a search term" + After(after) + ", found ')'");
    for (std::string_view op : {"AND", "OR"}) {
      if (AtKeyword(op)) {
        return ErrorAt(pos_, "expected a search term" + After(after) + ", found '" + std::string(op) +
                                 "' (AND and OR go between two terms; write \"" + std::string(op) +
                                 "\" to search for the word)");
      }
    }
    if (q_[pos_] == '(') return ParseParenthesized(group, out);
    if (group != nullptr) return ParseValue(*group, pos_, out);
    if (q_[pos_] == '"') return ParsePhrase(out);
    return ParseBareTerm(out);
  }

  Status ParseParenthesized(const FieldRef* group, NodePtr* out) {
    size_t open = pos_++;
    parse::DepthGuard depth(&depth_);
    OTELSTACK_RETURN_IF_ERROR(depth.Check(open));
    OTELSTACK_RETURN_IF_ERROR(ParseOr(group, "'('", out));
    SkipSpace();
    if (AtEnd() || q_[pos_] != ')') {
      out->reset();
      return ErrorAt(pos_, "expected ')' to close the '(' at position " + std::to_string(open + 1));
    }
    ++pos_;
    return Status::OK();
  }

  Status ParsePhrase(NodePtr* out) {
    size_t start = pos_;
    std::string text;
    OTELSTACK_RETURN_IF_ERROR(ScanQuoted(&text));
    if (parse::IsBlank(text)) return ErrorAt(start, "expected words inside the quotes (the phrase is empty)");
    auto node = std::make_unique<Node>(Kind::kText, start);
    node->text = std::move(text);
    node->text_mode = ast::TextMode::kPhrase;
    *out = std::move(node);
    return Status::OK();
  }

  // A bare word, or `field:` followed by a value.
  Status ParseBareTerm(NodePtr* out) {
    size_t start = pos_;
    Word word;
    bool at_colon = false;
    OTELSTACK_RETURN_IF_ERROR(ScanWord(WordContext::kTerm, &word, &at_colon));
    if (at_colon) {
      size_t colon = pos_++;
      if (word.text.empty()) {
        return ErrorAt(colon, "expected a field name before ':' (write \\: to search for a literal ':')");
      }
      if (!word.star_offsets.empty()) return ErrorAt(word.star_offsets[0], "a field name cannot contain '*'");
      return ParseFieldValue(FieldRef{std::move(word.text), start}, out);
    }
    Wildcards wild;
    OTELSTACK_RETURN_IF_ERROR(SplitWildcards(word, &wild));
    if (wild.core.empty()) {
      return ErrorAt(start,
                     "'*' alone is not a search term (an empty query matches everything; field:* matches rows "
                     "that have the field)");
    }
    auto node = std::make_unique<Node>(Kind::kText, start);
    node->text = std::move(wild.core);
    node->text_mode = wild.leading && wild.trailing ? ast::TextMode::kSubstring
                      : wild.leading                ? ast::TextMode::kSuffix
                      : wild.trailing               ? ast::TextMode::kPrefix
                                                    : ast::TextMode::kToken;
    *out = std::move(node);
    return Status::OK();
  }

  // What follows `field:` (the ':' consumed): a value or a ( group ).
  Status ParseFieldValue(const FieldRef& field, NodePtr* out) {
    std::string after = Quoted(field.name + ":");
    SkipSpace();
    if (AtEnd()) return ErrorAt(pos_, "expected a value after " + after);
    if (q_[pos_] == ')') return ErrorAt(pos_, "expected a value after " + after + ", found ')'");
    for (std::string_view op : {"AND", "OR", "NOT"}) {
      if (AtKeyword(op)) {
        return ErrorAt(pos_, "expected a value after " + after + ", found the operator '" + std::string(op) +
                                 "' (quote it to search for the word)");
      }
    }
    if (q_[pos_] == '(') return ParseParenthesized(&field, out);
    return ParseValue(field, field.pos, out);
  }

  // One value for `field`: "quoted", [range], >cmp, wildcard or plain word.
  // Requires a character that can start a value at pos_.
  Status ParseValue(const FieldRef& field, size_t node_pos, NodePtr* out) {
    size_t start = pos_;
    char c = q_[pos_];
    if (c == '"') {
      std::string text;
      OTELSTACK_RETURN_IF_ERROR(ScanQuoted(&text));
      *out = Compare(ast::CompareOp::kEq, field, parse::StringLiteral(std::move(text), start), node_pos);
      return Status::OK();
    }
    if (c == '[' || c == '{') return ParseRange(field, node_pos, out);
    if (c == '>' || c == '<') return ParseComparison(field, node_pos, out);

    Word word;
    bool unused_colon = false;
    OTELSTACK_RETURN_IF_ERROR(ScanWord(WordContext::kValue, &word, &unused_colon));
    if (word.star_indexes.empty()) {
      *out = Compare(ast::CompareOp::kEq, field, NumberOrString(word.text, start), node_pos);
      return Status::OK();
    }
    Wildcards wild;
    OTELSTACK_RETURN_IF_ERROR(SplitWildcards(word, &wild));
    if (wild.core.empty()) {  // field:*
      auto node = std::make_unique<Node>(Kind::kExists, node_pos);
      node->field.name = field.name;
      *out = std::move(node);
      return Status::OK();
    }
    auto node = std::make_unique<Node>(Kind::kLike, node_pos);
    node->case_insensitive = true;
    node->children.push_back(parse::FieldNode(field.name, field.pos));
    node->children.push_back(parse::StringLiteral(LikePattern(wild), start));
    *out = std::move(node);
    return Status::OK();
  }

  // `field:>v`, `>=v`, `<v`, `<=v`.
  Status ParseComparison(const FieldRef& field, size_t node_pos, NodePtr* out) {
    bool greater = q_[pos_++] == '>';
    bool or_equal = !AtEnd() && q_[pos_] == '=';
    if (or_equal) ++pos_;
    std::string op_text = std::string(greater ? ">" : "<") + (or_equal ? "=" : "");
    ast::CompareOp op = greater ? (or_equal ? ast::CompareOp::kGe : ast::CompareOp::kGt)
                                : (or_equal ? ast::CompareOp::kLe : ast::CompareOp::kLt);
    if (AtEnd() || IsSpace(q_[pos_]) || q_[pos_] == '(' || q_[pos_] == ')') {
      return ErrorAt(pos_,
                     "expected a value right after '" + op_text + "' (write " + field.name + ":" + op_text + "500)");
    }
    size_t value_pos = pos_;
    NodePtr literal;
    if (q_[pos_] == '"') {
      std::string text;
      OTELSTACK_RETURN_IF_ERROR(ScanQuoted(&text));
      literal = parse::StringLiteral(std::move(text), value_pos);
    } else {
      Word word;
      bool unused_colon = false;
      OTELSTACK_RETURN_IF_ERROR(ScanWord(WordContext::kValue, &word, &unused_colon));
      if (!word.star_offsets.empty()) {
        return ErrorAt(word.star_offsets[0], "a value compared with '" + op_text + "' cannot contain '*'");
      }
      literal = NumberOrString(word.text, value_pos);
    }
    *out = Compare(op, field, std::move(literal), node_pos);
    return Status::OK();
  }

  // `[lo TO hi]`, `{lo TO hi}` or mixed; `*` is an open bound.
  Status ParseRange(const FieldRef& field, size_t node_pos, NodePtr* out) {
    size_t open = pos_;
    auto node = std::make_unique<Node>(Kind::kRange, node_pos);
    node->lo_inclusive = q_[pos_++] == '[';
    node->children.push_back(parse::FieldNode(field.name, field.pos));
    std::string where = " of the range at position " + std::to_string(open + 1);
    SkipSpace();
    node->children.emplace_back();
    OTELSTACK_RETURN_IF_ERROR(ParseRangeBound("lower bound" + where, &node->children.back()));
    SkipSpace();
    if (!(q_.substr(pos_, 2) == "TO" && (pos_ + 2 == q_.size() || IsSpace(q_[pos_ + 2]) || q_[pos_ + 2] == '"'))) {
      return ErrorAt(pos_, "expected 'TO' after the lower bound" + where + " (write [low TO high])");
    }
    pos_ += 2;
    SkipSpace();
    node->children.emplace_back();
    OTELSTACK_RETURN_IF_ERROR(ParseRangeBound("upper bound" + where, &node->children.back()));
    SkipSpace();
    if (AtEnd() || (q_[pos_] != ']' && q_[pos_] != '}')) {
      return ErrorAt(pos_, "expected ']' or '}' to close the range at position " + std::to_string(open + 1));
    }
    node->hi_inclusive = q_[pos_++] == ']';
    *out = std::move(node);
    return Status::OK();
  }

  Status ParseRangeBound(const std::string& what, NodePtr* out) {
    size_t start = pos_;
    if (!AtEnd() && q_[pos_] == '"') {
      std::string text;
      OTELSTACK_RETURN_IF_ERROR(ScanQuoted(&text));
      *out = parse::StringLiteral(std::move(text), start);
      return Status::OK();
    }
    Word word;
    bool unused_colon = false;
    OTELSTACK_RETURN_IF_ERROR(ScanWord(WordContext::kRangeBound, &word, &unused_colon));
    if (word.text.empty()) {
      return ErrorAt(start, "expected the " + what + (AtEnd() ? ", found the end of the query" : ""));
    }
    if (word.text == "*" && word.star_indexes.size() == 1) {
      *out = parse::NullLiteral(start);
      return Status::OK();
    }
    if (!word.star_offsets.empty()) {
      return ErrorAt(word.star_offsets[0], "a range bound cannot contain '*' (a lone * is an open bound)");
    }
    *out = NumberOrString(word.text, start);
    return Status::OK();
  }

  // Scans a word from pos_; stops at whitespace, parentheses, '"', the end,
  // and per `context` at a field-name ':' (then *at_colon, pos_ on the ':')
  // or a range's closing bracket. A backslash escapes the next character.
  Status ScanWord(WordContext context, Word* w, bool* at_colon) {
    w->begin = pos_;
    *at_colon = false;
    bool in_url = false;  // after "scheme://" colons belong to the word
    while (!AtEnd()) {
      char c = q_[pos_];
      if (IsSpace(c) || c == '(' || c == ')' || c == '"') break;
      if (context == WordContext::kRangeBound && (c == ']' || c == '}')) break;
      if (c == '\\') {
        if (pos_ + 1 == q_.size()) {
          return ErrorAt(pos_, "'\\' at the end of the query escapes nothing (write \\\\ for a backslash)");
        }
        w->text += q_[pos_ + 1];
        pos_ += 2;
        continue;
      }
      if (c == ':' && context == WordContext::kTerm && !in_url) {
        if (q_.substr(pos_ + 1, 2) != "//") {
          *at_colon = true;
          break;
        }
        in_url = true;
      }
      if (c == '*') {
        w->star_indexes.push_back(w->text.size());
        w->star_offsets.push_back(pos_);
      }
      w->text += c;
      ++pos_;
    }
    return Status::OK();
  }

  // Scans "..." from pos_ (on the opening quote). \" and \\ are escapes;
  // any other backslash is kept as written.
  Status ScanQuoted(std::string* text) {
    size_t open = pos_++;
    while (!AtEnd()) {
      char c = q_[pos_];
      if (c == '"') {
        ++pos_;
        return Status::OK();
      }
      if (c == '\\' && pos_ + 1 < q_.size() && (q_[pos_ + 1] == '"' || q_[pos_ + 1] == '\\')) {
        *text += q_[pos_ + 1];
        pos_ += 2;
        continue;
      }
      *text += c;
      ++pos_;
    }
    return ErrorAt(pos_, "expected '\"' to close the quote at position " + std::to_string(open + 1));
  }

  // True when the upper-case operator `kw` is at pos_ as a whole word.
  bool AtKeyword(std::string_view kw) const {
    if (q_.substr(pos_, kw.size()) != kw) return false;
    size_t next = pos_ + kw.size();
    return next == q_.size() || IsSpace(q_[next]) || q_[next] == '(' || q_[next] == ')' || q_[next] == '"';
  }

  bool AtEnd() const { return pos_ >= q_.size(); }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(q_[pos_])) ++pos_;
  }

  std::string_view q_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Status ParseLucene(std::string_view query, ast::NodePtr* out) {
  out->reset();
  OTELSTACK_RETURN_IF_ERROR(parse::CheckLength(query));
  if (parse::IsBlank(query)) return Status::OK();
  return LuceneParser(query).Parse(out);
}

}  // namespace otelstack::query

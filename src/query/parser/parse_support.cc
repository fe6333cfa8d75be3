#include "query/parser/parse_support.h"

#include <charconv>
#include <cstdlib>
#include <utility>
#include <vector>

namespace otelstack::query::parse {

Status ErrorAt(size_t offset, std::string_view message) {
  std::string msg = "at position " + std::to_string(offset + 1) + ": ";
  msg.append(message);
  return Status::InvalidArgument(std::move(msg));
}

Status CheckLength(std::string_view query) {
  if (query.size() <= kMaxQueryBytes) return Status::OK();
  return ErrorAt(kMaxQueryBytes, "the query is longer than the limit of " + std::to_string(kMaxQueryBytes) +
                                     " bytes (" + std::to_string(query.size()) + " bytes)");
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (!IsSpace(c)) return false;
  }
  return true;
}

std::string Quoted(std::string_view text) {
  constexpr size_t kMaxShown = 40;
  std::string out = "'";
  size_t n = text.size() > kMaxShown ? kMaxShown : text.size();
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (n < text.size()) out += "...";
  out += "'";
  return out;
}

static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool LooksLikeNumber(std::string_view t) {
  size_t i = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < t.size() && IsDigit(t[i])) ++i, ++int_digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && IsDigit(t[i])) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < t.size() && IsDigit(t[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == t.size();
}

ast::NodePtr NumberLiteral(std::string_view text, size_t pos) {
  auto node = std::make_unique<ast::Node>(ast::Node::Kind::kLiteral, pos);
  ast::Literal& lit = node->literal;
  lit.kind = ast::Literal::Kind::kNumber;
  lit.text = std::string(text);
  // from_chars is locale-independent but takes no '+' and refuses values
  // out of range; strtod then gives +-inf or 0, which a comparison expects.
  std::string_view unsigned_text = text;
  if (!unsigned_text.empty() && unsigned_text.front() == '+') unsigned_text.remove_prefix(1);
  auto [dend, dec] = std::from_chars(unsigned_text.data(), unsigned_text.data() + unsigned_text.size(), lit.number);
  if (dec != std::errc()) lit.number = std::strtod(std::string(text).c_str(), nullptr);
  if (text.find_first_of(".eE") == std::string_view::npos) {
    std::string_view digits = unsigned_text;
    int64_t v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec == std::errc() && end == digits.data() + digits.size()) {
      lit.is_integer = true;
      lit.integer = v;
    }
  }
  return node;
}

ast::NodePtr StringLiteral(std::string value, size_t pos) {
  auto node = std::make_unique<ast::Node>(ast::Node::Kind::kLiteral, pos);
  node->literal.kind = ast::Literal::Kind::kString;
  node->literal.text = std::move(value);
  return node;
}

ast::NodePtr NullLiteral(size_t pos) {
  auto node = std::make_unique<ast::Node>(ast::Node::Kind::kLiteral, pos);
  node->literal.kind = ast::Literal::Kind::kNull;
  return node;
}

ast::NodePtr FieldNode(std::string name, size_t pos) {
  auto node = std::make_unique<ast::Node>(ast::Node::Kind::kField, pos);
  node->field.name = std::move(name);
  return node;
}

void AppendFlattened(ast::Node* parent, ast::NodePtr child) {
  if (child->kind == parent->kind) {
    for (auto& grandchild : child->children) parent->children.push_back(std::move(grandchild));
  } else {
    parent->children.push_back(std::move(child));
  }
}

ast::NodePtr JoinFlattened(ast::Node::Kind kind, std::vector<ast::NodePtr> nodes) {
  if (nodes.size() == 1) return std::move(nodes.front());
  auto parent = std::make_unique<ast::Node>(kind, nodes.front()->pos);
  for (auto& n : nodes) AppendFlattened(parent.get(), std::move(n));
  return parent;
}

Status CheckTreeHeight(const ast::Node& root) {
  std::vector<std::pair<const ast::Node*, size_t>> stack = {{&root, 1}};
  while (!stack.empty()) {
    auto [node, height] = stack.back();
    stack.pop_back();
    if (height > kMaxTreeHeight) {
      return ErrorAt(node->pos, "the expression nests deeper than " + std::to_string(kMaxTreeHeight) +
                                    " levels (long chains of operators count as nesting)");
    }
    for (const auto& child : node->children) stack.emplace_back(child.get(), height + 1);
  }
  return Status::OK();
}

Status DepthGuard::Check(size_t offset) const {
  if (*depth_ <= kMaxNestingDepth) return Status::OK();
  return ErrorAt(offset,
                 "the query nests deeper than " + std::to_string(kMaxNestingDepth) + " levels of parentheses and NOT");
}

}  // namespace otelstack::query::parse

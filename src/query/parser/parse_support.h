// Helpers shared by the Lucene and SQL parsers: input limits, positioned
// errors, literal construction and n-ary flattening.
//
// Every parse error is Status::InvalidArgument whose message starts with
// "at position N: " where N is the 1-based character position (byte offset
// + 1); the position may be one past the last character ("at the end").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "query/parser/ast.h"

namespace otelstack::query::parse {

// Longer queries are refused before parsing.
inline constexpr size_t kMaxQueryBytes = 16 * 1024;
// Parentheses and prefix operators (NOT, '-') nested deeper than this are
// refused, which bounds the recursion of the parsers and of ast::ToString.
inline constexpr int kMaxNestingDepth = 64;
// Trees taller than this are refused after parsing. Parentheses are bounded
// above; this also bounds left-deep operator chains (`a + b + c ...`), so
// later stages may recurse over any accepted tree.
inline constexpr size_t kMaxTreeHeight = 512;

// InvalidArgument "at position <offset + 1>: <message>".
Status ErrorAt(size_t offset, std::string_view message);

// The standard refusal of an over-long query, or OK.
Status CheckLength(std::string_view query);

// True when every byte is ASCII whitespace (including the empty string).
bool IsBlank(std::string_view s);
bool IsSpace(char c);

// `text` in single quotes for an error message, shortened to a readable
// length and with control bytes shown as \xNN.
std::string Quoted(std::string_view text);

// True for an optionally signed decimal number: "500", "-1.5", ".5", "1e9".
bool LooksLikeNumber(std::string_view text);

// Literal constructors. NumberLiteral requires LooksLikeNumber(text).
ast::NodePtr NumberLiteral(std::string_view text, size_t pos);
ast::NodePtr StringLiteral(std::string value, size_t pos);
ast::NodePtr NullLiteral(size_t pos);
ast::NodePtr FieldNode(std::string name, size_t pos);

// Appends `child` to `parent` (a kAnd or kOr node); a child of the same kind
// gives its children instead, so nested ANDs/ORs become one n-ary node.
void AppendFlattened(ast::Node* parent, ast::NodePtr child);

// The single node when `nodes` has one, else a `kind` (kAnd/kOr) node of all
// of them, flattened. `nodes` must not be empty.
ast::NodePtr JoinFlattened(ast::Node::Kind kind, std::vector<ast::NodePtr> nodes);

// Fails when `root` is taller than kMaxTreeHeight (checked without
// recursion); the error points at the first node past the limit.
Status CheckTreeHeight(const ast::Node& root);

// Counts nesting while alive; Enter() fails past kMaxNestingDepth.
class DepthGuard {
 public:
  explicit DepthGuard(int* depth) : depth_(depth) { ++*depth_; }
  ~DepthGuard() { --*depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  // The error to return when the depth limit is exceeded at `offset`, or OK.
  Status Check(size_t offset) const;

 private:
  int* depth_;
};

}  // namespace otelstack::query::parse

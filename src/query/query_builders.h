// Small builders of query trees for code that constructs queries instead of
// parsing them (command-line shortcuts, trace lookups, API filters).
#pragma once

#include <memory>
#include <string>

#include "query/parser/ast.h"

namespace otelstack::query {

// `field` = "value" (a string comparison; see execution/row_value.h).
inline ast::NodePtr FieldEquals(const std::string& field, const std::string& value) {
  auto cmp = std::make_unique<ast::Node>(ast::Node::Kind::kCompare);
  auto lhs = std::make_unique<ast::Node>(ast::Node::Kind::kField);
  lhs->field.name = field;
  auto rhs = std::make_unique<ast::Node>(ast::Node::Kind::kLiteral);
  rhs->literal.kind = ast::Literal::Kind::kString;
  rhs->literal.text = value;
  cmp->children.push_back(std::move(lhs));
  cmp->children.push_back(std::move(rhs));
  return cmp;
}

// Free text anywhere in the signal's text and attribute values.
inline ast::NodePtr TextSearch(const std::string& text, ast::TextMode mode) {
  auto node = std::make_unique<ast::Node>(ast::Node::Kind::kText);
  node->text = text;
  node->text_mode = mode;
  return node;
}

}  // namespace otelstack::query

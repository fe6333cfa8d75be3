#include "query/execution/row_value.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "common/any_value.h"
#include "common/any_value_json.h"
#include "common/file_util.h"
#include "common/varint.h"

namespace otelstack::query {

namespace {

Status SetFromAny(const anyvalue::Value& v, RowValue* out) {
  switch (v.tag) {
    case anyvalue::Tag::kString:
      out->SetString(v.str);
      return Status::OK();
    case anyvalue::Tag::kInt:
      out->kind = RowValue::Kind::kInt;
      out->i = v.i;
      return Status::OK();
    case anyvalue::Tag::kDouble:
      out->kind = RowValue::Kind::kDouble;
      out->d = v.d;
      return Status::OK();
    default: {
      std::string text;
      OTELSTACK_RETURN_IF_ERROR(anyvalue::AppendAnyText(v, &text));
      out->SetOwned(std::move(text));
      return Status::OK();
    }
  }
}

// Advances *in past one encoded value; false when it is malformed.
bool SkipValue(std::string_view* in) {
  if (in->empty()) return false;
  const auto tag = static_cast<anyvalue::Tag>(static_cast<unsigned char>((*in)[0]));
  uint64_t n;
  switch (tag) {
    case anyvalue::Tag::kEmpty:
      in->remove_prefix(1);
      return true;
    case anyvalue::Tag::kString:
    case anyvalue::Tag::kBytes:
      in->remove_prefix(1);
      if (!GetVarint64(in, &n) || n > in->size()) return false;
      in->remove_prefix(n);
      return true;
    case anyvalue::Tag::kBool:
      if (in->size() < 2) return false;
      in->remove_prefix(2);
      return true;
    case anyvalue::Tag::kInt:
      in->remove_prefix(1);
      return GetVarint64(in, &n);
    case anyvalue::Tag::kDouble:
      if (in->size() < 9) return false;
      in->remove_prefix(9);
      return true;
    default: {  // lists (rare in attribute maps) and unknown tags
      anyvalue::Value ignored;
      return anyvalue::ReadValue(in, &ignored).ok();
    }
  }
}

}  // namespace

bool FindAttribute(std::string_view encoded_map, std::string_view key, anyvalue::Value* out) {
  if (encoded_map.size() < 5 ||
      static_cast<anyvalue::Tag>(static_cast<unsigned char>(encoded_map[0])) != anyvalue::Tag::kKvList)
    return false;
  const uint32_t count = DecodeFixed32(encoded_map.data() + 1);
  std::string_view rest = encoded_map.substr(5);
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t key_len;
    if (!GetVarint64(&rest, &key_len) || key_len > rest.size()) return false;
    const bool match = key_len == key.size() && std::memcmp(rest.data(), key.data(), key_len) == 0;
    rest.remove_prefix(key_len);
    if (match) return anyvalue::ReadValue(&rest, out).ok();
    if (!SkipValue(&rest)) return false;
  }
  return false;
}

Status ReadRowValue(const ValueSource& source, const RowBatch& batch, size_t row, RowValue* out) {
  out->kind = RowValue::Kind::kNull;
  if (source.kind == ValueSource::Kind::kAttribute) {
    for (size_t map : source.maps) {
      anyvalue::Value v;
      if (FindAttribute(batch.Bytes(map, row), source.key, &v)) return SetFromAny(v, out);
    }
    return Status::OK();
  }
  size_t col = source.column;
  switch (source.type) {
    case ColumnType::kTimestamp:
    case ColumnType::kUInt64:
    case ColumnType::kInt64:
      out->kind = RowValue::Kind::kInt;
      out->i = batch.I64(col, row);
      return Status::OK();
    case ColumnType::kFloat64:
      out->kind = RowValue::Kind::kDouble;
      out->d = batch.F64(col, row);
      return Status::OK();
    case ColumnType::kString:
      out->SetString(batch.Bytes(col, row));
      return Status::OK();
    case ColumnType::kId:
      out->SetOwned(HexEncode(batch.Bytes(col, row)));
      return Status::OK();
    case ColumnType::kAny: {
      std::string_view encoded = batch.Bytes(col, row);
      if (encoded.empty()) return Status::OK();
      anyvalue::Value v;
      OTELSTACK_RETURN_IF_ERROR(anyvalue::ParseWhole(encoded, &v));
      if (v.tag == anyvalue::Tag::kEmpty) return Status::OK();
      return SetFromAny(v, out);
    }
  }
  return Status::OK();
}

void AppendValueText(const RowValue& v, std::string* out) {
  switch (v.kind) {
    case RowValue::Kind::kNull:
      return;
    case RowValue::Kind::kInt:
      out->append(std::to_string(v.i));
      return;
    case RowValue::Kind::kString:
      out->append(v.str());
      return;
    case RowValue::Kind::kDouble: {
      anyvalue::Value any;
      any.tag = anyvalue::Tag::kDouble;
      any.d = v.d;
      (void)anyvalue::AppendAnyText(any, out);  // cannot fail for a double
      return;
    }
  }
}

std::optional<RowValue> ParseNumber(std::string_view s) {
  if (s.empty()) return std::nullopt;
  RowValue v;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (s.find_first_of(".eE") == std::string_view::npos) {
    int64_t i = 0;
    auto [p, ec] = std::from_chars(begin + (s[0] == '+' ? 1 : 0), end, i);
    if (ec == std::errc() && p == end) {
      v.kind = RowValue::Kind::kInt;
      v.i = i;
      return v;
    }
  }
  double d = 0;
  auto [p, ec] = std::from_chars(begin + (s[0] == '+' ? 1 : 0), end, d);
  if (ec != std::errc() || p != end || std::isnan(d)) return std::nullopt;
  v.kind = RowValue::Kind::kDouble;
  v.d = d;
  return v;
}

RowValue LiteralValue(const ast::Literal& literal) {
  RowValue v;
  switch (literal.kind) {
    case ast::Literal::Kind::kNull:
      break;
    case ast::Literal::Kind::kString:
      v.SetOwned(literal.text);
      break;
    case ast::Literal::Kind::kNumber:
      if (literal.is_integer) {
        v.kind = RowValue::Kind::kInt;
        v.i = literal.integer;
      } else {
        v.kind = RowValue::Kind::kDouble;
        v.d = literal.number;
      }
      break;
  }
  return v;
}

}  // namespace otelstack::query

#include "api/row_projection.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cmath>
#include <set>

#include "query/execution/row_value.h"
#include "query/planner/binder.h"
#include "query/row_json.h"
#include "store/schema/schema.h"

namespace otelstack::api {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool NeedsWholeRow(const RowProjection& projection) {
  for (const query::ValueSource& source : projection.sources) {
    if (source.kind == query::ValueSource::Kind::kColumn) return true;
  }
  return false;
}

}  // namespace

Status ParseRowProjection(std::string_view select, Signal signal, RowProjection* out) {
  out->signal = signal;
  out->keys.clear();
  out->sources.clear();
  std::set<std::string> seen;
  size_t start = 0;
  while (start <= select.size()) {
    size_t comma = select.find(',', start);
    if (comma == std::string_view::npos) comma = select.size();
    std::string_view item = Trim(select.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) return Status::InvalidArgument("select: empty field name in \"" + std::string(select) + "\"");
    query::ast::Field field;
    Status s = query::ParseFieldRef(item, &field);
    if (s.ok()) {
      query::ValueSource source;
      s = query::BindField(signal, field, &source);
      if (s.ok()) {
        if (!seen.insert(std::string(item)).second) {
          return Status::InvalidArgument("select: field \"" + std::string(item) + "\" is listed twice");
        }
        out->keys.emplace_back(item);
        out->sources.push_back(std::move(source));
      }
    }
    if (!s.ok()) return s.WithContext("select");
  }
  return Status::OK();
}

Status AppendProjectedRow(const RowProjection& projection, const RowBatch& batch, size_t row, std::string* out) {
  // Columns come from the whole row's rendering, so a selected column looks
  // exactly as it would without `select`.
  rapidjson::Document whole;
  if (NeedsWholeRow(projection)) {
    std::string json;
    Status s = query::AppendRowJson(batch, row, &json);
    if (!s.ok()) return s;
    whole.Parse(json.data(), json.size());
    if (whole.HasParseError() || !whole.IsObject()) return Status::Internal("row JSON does not parse");
  }
  auto schema = SchemaOf(projection.signal);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  for (size_t i = 0; i < projection.keys.size(); ++i) {
    const std::string& key = projection.keys[i];
    const query::ValueSource& source = projection.sources[i];
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    if (source.kind == query::ValueSource::Kind::kColumn) {
      std::string_view name = schema[source.column].name;
      auto it = whole.FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), name.size())));
      if (it == whole.MemberEnd()) {
        w.Null();
      } else {
        it->value.Accept(w);
      }
      continue;
    }
    query::RowValue value;
    Status s = query::ReadRowValue(source, batch, row, &value);
    if (!s.ok()) return s;
    switch (value.kind) {
      case query::RowValue::Kind::kNull:
        w.Null();
        break;
      case query::RowValue::Kind::kInt:
        w.Int64(value.i);
        break;
      case query::RowValue::Kind::kDouble:
        if (std::isfinite(value.d)) {
          w.Double(value.d);
        } else {
          std::string text;
          query::AppendValueText(value, &text);
          w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
        }
        break;
      case query::RowValue::Kind::kString: {
        std::string_view text = value.str();
        w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
        break;
      }
    }
  }
  w.EndObject();
  out->append(buffer.GetString(), buffer.GetSize());
  return Status::OK();
}

}  // namespace otelstack::api

#include "otlp/json_decoder.h"

#include "common/any_value.h"
#include "otlp/error_context.h"
#include "otlp/json_values.h"

namespace otelstack::otlp {

using json::KeyIs;

// ---- Request structure ---------------------------------------------------

Status JsonDecoder::Decode(Signal signal, std::string_view body) {
  static constexpr Layout kLogs = {{"resourceLogs", "resource_logs"},
                                   {"scopeLogs", "scope_logs"},
                                   {"logRecords", "log_records"},
                                   &JsonDecoder::DecodeLogRecord};
  static constexpr Layout kTraces = {
      {"resourceSpans", "resource_spans"}, {"scopeSpans", "scope_spans"}, {"spans", "spans"}, &JsonDecoder::DecodeSpan};
  static constexpr Layout kMetrics = {{"resourceMetrics", "resource_metrics"},
                                      {"scopeMetrics", "scope_metrics"},
                                      {"metrics", "metrics"},
                                      &JsonDecoder::DecodeMetric};
  const Layout& layout = signal == Signal::kLogs ? kLogs : signal == Signal::kTraces ? kTraces : kMetrics;

  Element root;
  if (auto error = parser_.parse(body.data(), body.size()).get(root)) {
    return Status::InvalidArgument(std::string("malformed JSON: ") + simdjson::error_message(error));
  }
  json::object request;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(root, "request", &request));
  for (auto [key, value] : request) {
    if (value.is_null() || !KeyIs(key, layout.resource_list.camel, layout.resource_list.snake)) continue;
    OTELSTACK_RETURN_IF_ERROR(ForEach(value, layout.resource_list.camel,
                                      [&](Element group, size_t) { return DecodeResourceGroup(group, layout); }));
  }
  return Status::OK();
}

Status JsonDecoder::DecodeResourceGroup(Element e, const Layout& layout) {
  json::object group;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "resource group", &group));
  ResourceFields resource;
  Element resource_element, scopes;
  bool has_resource = false, has_scopes = false;
  for (auto [key, value] : group) {
    if (value.is_null()) continue;
    if (KeyIs(key, "resource", "resource")) {
      resource_element = value;
      has_resource = true;
    } else if (KeyIs(key, "schemaUrl", "schema_url")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "schemaUrl", &resource.schema_url));
    } else if (KeyIs(key, layout.scope_list.camel, layout.scope_list.snake)) {
      scopes = value;
      has_scopes = true;
    }
  }
  if (has_resource) OTLP_RETURN_IF_ERROR_CTX(ParseResource(resource_element, &resource), "resource");
  if (!has_scopes) return Status::OK();
  return ForEach(scopes, layout.scope_list.camel,
                 [&](Element scope_group, size_t) { return DecodeScopeGroup(scope_group, resource, layout); });
}

Status JsonDecoder::DecodeScopeGroup(Element e, const ResourceFields& resource, const Layout& layout) {
  json::object group;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "scope group", &group));
  ScopeFields scope;
  Element scope_element, items;
  bool has_scope = false, has_items = false;
  for (auto [key, value] : group) {
    if (value.is_null()) continue;
    if (KeyIs(key, "scope", "scope")) {
      scope_element = value;
      has_scope = true;
    } else if (KeyIs(key, "schemaUrl", "schema_url")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "schemaUrl", &scope.schema_url));
    } else if (KeyIs(key, layout.item_list.camel, layout.item_list.snake)) {
      items = value;
      has_items = true;
    }
  }
  if (has_scope) OTLP_RETURN_IF_ERROR_CTX(ParseScope(scope_element, &scope), "scope");
  if (!has_items) return Status::OK();
  return ForEach(items, layout.item_list.camel,
                 [&](Element item, size_t) { return (this->*layout.decode_item)(resource, scope, item); });
}

Status JsonDecoder::ParseResource(Element e, ResourceFields* out) {
  json::object obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "resource", &obj));
  ListBuilder attributes(&resource_attributes_, ListBuilder::Kind::kKvList);
  for (auto [key, value] : obj) {
    if (value.is_null()) continue;
    if (KeyIs(key, "attributes", "attributes")) {
      OTELSTACK_RETURN_IF_ERROR(AddAttributes(value, "attributes", &attributes));
    } else if (KeyIs(key, "droppedAttributesCount", "dropped_attributes_count")) {
      uint32_t dropped;
      OTELSTACK_RETURN_IF_ERROR(json::GetUint32(value, "droppedAttributesCount", &dropped));
      out->dropped_attributes_count = dropped;
    }
  }
  out->attributes = attributes.Finish();
  out->service_name = ServiceNameOf(out->attributes);
  return Status::OK();
}

Status JsonDecoder::ParseScope(Element e, ScopeFields* out) {
  json::object obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "scope", &obj));
  ListBuilder attributes(&scope_attributes_, ListBuilder::Kind::kKvList);
  for (auto [key, value] : obj) {
    if (value.is_null()) continue;
    if (KeyIs(key, "name", "name")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "name", &out->name));
    } else if (KeyIs(key, "version", "version")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "version", &out->version));
    } else if (KeyIs(key, "attributes", "attributes")) {
      OTELSTACK_RETURN_IF_ERROR(AddAttributes(value, "attributes", &attributes));
    } else if (KeyIs(key, "droppedAttributesCount", "dropped_attributes_count")) {
      uint32_t dropped;
      OTELSTACK_RETURN_IF_ERROR(json::GetUint32(value, "droppedAttributesCount", &dropped));
      out->dropped_attributes_count = dropped;
    }
  }
  out->attributes = attributes.Finish();
  return Status::OK();
}

// ---- AnyValue ------------------------------------------------------------

Status JsonDecoder::AddAttributes(Element list, const char* field, ListBuilder* out) {
  return ForEach(list, field, [&](Element kv, size_t) {
    OTELSTACK_RETURN_IF_ERROR(AppendKeyValue(kv, out->buffer(), 1));
    out->Added();
    return Status::OK();
  });
}

// {"key": "...", "value": AnyValue}
Status JsonDecoder::AppendKeyValue(Element e, std::string* out, int depth) {
  json::object obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "KeyValue", &obj));
  std::string_view key;
  Element value;
  bool has_value = false;
  for (auto [k, v] : obj) {
    if (v.is_null()) continue;
    if (k == "key") {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(v, "key", &key));
    } else if (k == "value") {
      value = v;
      has_value = true;
    }
  }
  anyvalue::AppendKey(out, key);
  if (!has_value) {
    anyvalue::AppendEmpty(out);
    return Status::OK();
  }
  OTLP_RETURN_IF_ERROR_CTX(AppendAnyValue(value, out, depth), key);
  return Status::OK();
}

// {"stringValue": ...} | boolValue | intValue | doubleValue |
// {"arrayValue": {"values": [AnyValue...]}} |
// {"kvlistValue": {"values": [KeyValue...]}} | bytesValue (base64) | {}
Status JsonDecoder::AppendAnyValue(Element e, std::string* out, int depth) {
  if (depth > kMaxAnyValueDepth) {
    return Status::InvalidArgument("AnyValue nested deeper than " + std::to_string(kMaxAnyValueDepth) + " levels");
  }
  json::object obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "AnyValue", &obj));
  enum class Kind { kNone, kString, kBool, kInt, kDouble, kArray, kKvList, kBytes } kind = Kind::kNone;
  Element chosen;  // the last member present wins, as on the protobuf wire
  for (auto [key, value] : obj) {
    if (value.is_null()) continue;
    Kind k = Kind::kNone;
    if (KeyIs(key, "stringValue", "string_value"))
      k = Kind::kString;
    else if (KeyIs(key, "boolValue", "bool_value"))
      k = Kind::kBool;
    else if (KeyIs(key, "intValue", "int_value"))
      k = Kind::kInt;
    else if (KeyIs(key, "doubleValue", "double_value"))
      k = Kind::kDouble;
    else if (KeyIs(key, "arrayValue", "array_value"))
      k = Kind::kArray;
    else if (KeyIs(key, "kvlistValue", "kvlist_value"))
      k = Kind::kKvList;
    else if (KeyIs(key, "bytesValue", "bytes_value"))
      k = Kind::kBytes;
    if (k != Kind::kNone) {
      kind = k;
      chosen = value;
    }
  }
  switch (kind) {
    case Kind::kNone:
      anyvalue::AppendEmpty(out);
      return Status::OK();
    case Kind::kString: {
      std::string_view s;
      OTELSTACK_RETURN_IF_ERROR(json::GetString(chosen, "stringValue", &s));
      anyvalue::AppendString(out, s);
      return Status::OK();
    }
    case Kind::kBool: {
      bool b;
      OTELSTACK_RETURN_IF_ERROR(json::GetBool(chosen, "boolValue", &b));
      anyvalue::AppendBool(out, b);
      return Status::OK();
    }
    case Kind::kInt: {
      int64_t v;
      OTELSTACK_RETURN_IF_ERROR(json::GetInt64(chosen, "intValue", &v));
      anyvalue::AppendInt(out, v);
      return Status::OK();
    }
    case Kind::kDouble: {
      double v;
      OTELSTACK_RETURN_IF_ERROR(json::GetDouble(chosen, "doubleValue", &v));
      anyvalue::AppendDouble(out, v);
      return Status::OK();
    }
    case Kind::kBytes:
      OTELSTACK_RETURN_IF_ERROR(json::GetBase64(chosen, "bytesValue", &bytes_));
      anyvalue::AppendBytes(out, bytes_);
      return Status::OK();
    case Kind::kArray:
    case Kind::kKvList: {
      const bool is_kvlist = kind == Kind::kKvList;
      const char* field = is_kvlist ? "kvlistValue" : "arrayValue";
      json::object list;
      OTELSTACK_RETURN_IF_ERROR(json::GetObject(chosen, field, &list));
      size_t handle = is_kvlist ? anyvalue::BeginKvList(out) : anyvalue::BeginArray(out);
      uint32_t count = 0;
      for (auto [key, value] : list) {
        if (key != "values" || value.is_null()) continue;
        OTLP_RETURN_IF_ERROR_CTX(ForEach(value, "values",
                                         [&](Element item, size_t) {
                                           ++count;
                                           return is_kvlist ? AppendKeyValue(item, out, depth + 1)
                                                            : AppendAnyValue(item, out, depth + 1);
                                         }),
                                 field);
      }
      anyvalue::EndList(out, handle, count);
      return Status::OK();
    }
  }
  return Status::OK();
}

// ---- Logs ------------------------------------------------------------------

Status JsonDecoder::DecodeLogRecord(const ResourceFields& resource, const ScopeFields& scope, Element e) {
  json::object obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "logRecord", &obj));
  LogRecordFields record;
  ListBuilder attributes(&attributes_, ListBuilder::Kind::kKvList);
  bool has_body = false;
  for (auto [key, value] : obj) {
    if (value.is_null()) continue;
    if (KeyIs(key, "timeUnixNano", "time_unix_nano")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint64(value, "timeUnixNano", &record.time_unix_nano));
    } else if (KeyIs(key, "observedTimeUnixNano", "observed_time_unix_nano")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint64(value, "observedTimeUnixNano", &record.observed_time_unix_nano));
    } else if (KeyIs(key, "severityNumber", "severity_number")) {
      OTELSTACK_RETURN_IF_ERROR(
          json::GetEnum(value, "severityNumber", json::SeverityNumberByName, &record.severity_number));
    } else if (KeyIs(key, "severityText", "severity_text")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "severityText", &record.severity_text));
    } else if (KeyIs(key, "body", "body")) {
      body_.clear();
      OTLP_RETURN_IF_ERROR_CTX(AppendAnyValue(value, &body_, 1), "body");
      has_body = true;
    } else if (KeyIs(key, "attributes", "attributes")) {
      OTELSTACK_RETURN_IF_ERROR(AddAttributes(value, "attributes", &attributes));
    } else if (KeyIs(key, "droppedAttributesCount", "dropped_attributes_count")) {
      uint32_t dropped;
      OTELSTACK_RETURN_IF_ERROR(json::GetUint32(value, "droppedAttributesCount", &dropped));
      record.dropped_attributes_count = dropped;
    } else if (KeyIs(key, "flags", "flags")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint32(value, "flags", &record.flags));
    } else if (KeyIs(key, "traceId", "trace_id")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetHexId(value, "traceId", &trace_id_));
      record.trace_id = trace_id_;
    } else if (KeyIs(key, "spanId", "span_id")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetHexId(value, "spanId", &span_id_));
      record.span_id = span_id_;
    } else if (KeyIs(key, "eventName", "event_name")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "eventName", &record.event_name));
    }
  }
  if (has_body) record.body = body_;
  record.attributes = attributes.Finish();
  rows_->AddLog(resource, scope, record);
  return Status::OK();
}

// ---- Traces ----------------------------------------------------------------

Status JsonDecoder::DecodeSpan(const ResourceFields& resource, const ScopeFields& scope, Element e) {
  json::object obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "span", &obj));
  SpanFields span;
  ListBuilder attributes(&attributes_, ListBuilder::Kind::kKvList);
  ListBuilder events(&events_, ListBuilder::Kind::kArray);
  ListBuilder links(&links_, ListBuilder::Kind::kArray);
  for (auto [key, value] : obj) {
    if (value.is_null()) continue;
    if (KeyIs(key, "traceId", "trace_id")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetHexId(value, "traceId", &trace_id_));
      span.trace_id = trace_id_;
    } else if (KeyIs(key, "spanId", "span_id")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetHexId(value, "spanId", &span_id_));
      span.span_id = span_id_;
    } else if (KeyIs(key, "traceState", "trace_state")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "traceState", &span.trace_state));
    } else if (KeyIs(key, "parentSpanId", "parent_span_id")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetHexId(value, "parentSpanId", &parent_span_id_));
      span.parent_span_id = parent_span_id_;
    } else if (KeyIs(key, "flags", "flags")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint32(value, "flags", &span.flags));
    } else if (KeyIs(key, "name", "name")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "name", &span.name));
    } else if (KeyIs(key, "kind", "kind")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetEnum(value, "kind", json::SpanKindByName, &span.kind));
    } else if (KeyIs(key, "startTimeUnixNano", "start_time_unix_nano")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint64(value, "startTimeUnixNano", &span.start_time_unix_nano));
    } else if (KeyIs(key, "endTimeUnixNano", "end_time_unix_nano")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint64(value, "endTimeUnixNano", &span.end_time_unix_nano));
    } else if (KeyIs(key, "attributes", "attributes")) {
      OTELSTACK_RETURN_IF_ERROR(AddAttributes(value, "attributes", &attributes));
    } else if (KeyIs(key, "droppedAttributesCount", "dropped_attributes_count")) {
      uint32_t dropped;
      OTELSTACK_RETURN_IF_ERROR(json::GetUint32(value, "droppedAttributesCount", &dropped));
      span.dropped_attributes_count = dropped;
    } else if (KeyIs(key, "events", "events")) {
      OTELSTACK_RETURN_IF_ERROR(ForEach(value, "events", [&](Element event, size_t) {
        OTELSTACK_RETURN_IF_ERROR(AppendSpanEvent(event, events.buffer()));
        events.Added();
        return Status::OK();
      }));
    } else if (KeyIs(key, "droppedEventsCount", "dropped_events_count")) {
      uint32_t dropped;
      OTELSTACK_RETURN_IF_ERROR(json::GetUint32(value, "droppedEventsCount", &dropped));
      span.dropped_events_count = dropped;
    } else if (KeyIs(key, "links", "links")) {
      OTELSTACK_RETURN_IF_ERROR(ForEach(value, "links", [&](Element link, size_t) {
        OTELSTACK_RETURN_IF_ERROR(AppendSpanLink(link, links.buffer()));
        links.Added();
        return Status::OK();
      }));
    } else if (KeyIs(key, "droppedLinksCount", "dropped_links_count")) {
      uint32_t dropped;
      OTELSTACK_RETURN_IF_ERROR(json::GetUint32(value, "droppedLinksCount", &dropped));
      span.dropped_links_count = dropped;
    } else if (KeyIs(key, "status", "status")) {
      json::object status;
      OTELSTACK_RETURN_IF_ERROR(json::GetObject(value, "status", &status));
      for (auto [skey, svalue] : status) {
        if (svalue.is_null()) continue;
        if (skey == "message") {
          OTLP_RETURN_IF_ERROR_CTX(json::GetString(svalue, "message", &span.status_message), "status");
        } else if (skey == "code") {
          OTLP_RETURN_IF_ERROR_CTX(json::GetEnum(svalue, "code", json::StatusCodeByName, &span.status_code), "status");
        }
      }
    }
  }
  span.attributes = attributes.Finish();
  span.events = events.Finish();
  span.links = links.Finish();
  rows_->AddSpan(resource, scope, span);
  return Status::OK();
}

Status JsonDecoder::AppendSpanEvent(Element e, std::string* out) {
  json::object obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "event", &obj));
  uint64_t time = 0;
  uint32_t dropped = 0;
  std::string_view name;
  ListBuilder attributes(&item_attributes_, ListBuilder::Kind::kKvList);
  for (auto [key, value] : obj) {
    if (value.is_null()) continue;
    if (KeyIs(key, "timeUnixNano", "time_unix_nano")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint64(value, "timeUnixNano", &time));
    } else if (KeyIs(key, "name", "name")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "name", &name));
    } else if (KeyIs(key, "attributes", "attributes")) {
      OTELSTACK_RETURN_IF_ERROR(AddAttributes(value, "attributes", &attributes));
    } else if (KeyIs(key, "droppedAttributesCount", "dropped_attributes_count")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint32(value, "droppedAttributesCount", &dropped));
    }
  }
  AppendEvent(out, time, name, attributes.Finish(), dropped);
  return Status::OK();
}

Status JsonDecoder::AppendSpanLink(Element e, std::string* out) {
  json::object obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "link", &obj));
  std::string_view trace_id, span_id, trace_state;
  uint32_t dropped = 0, flags = 0;
  ListBuilder attributes(&item_attributes_, ListBuilder::Kind::kKvList);
  for (auto [key, value] : obj) {
    if (value.is_null()) continue;
    if (KeyIs(key, "traceId", "trace_id")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetHexId(value, "traceId", &item_trace_id_));
      trace_id = item_trace_id_;
    } else if (KeyIs(key, "spanId", "span_id")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetHexId(value, "spanId", &item_span_id_));
      span_id = item_span_id_;
    } else if (KeyIs(key, "traceState", "trace_state")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "traceState", &trace_state));
    } else if (KeyIs(key, "attributes", "attributes")) {
      OTELSTACK_RETURN_IF_ERROR(AddAttributes(value, "attributes", &attributes));
    } else if (KeyIs(key, "droppedAttributesCount", "dropped_attributes_count")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint32(value, "droppedAttributesCount", &dropped));
    } else if (KeyIs(key, "flags", "flags")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint32(value, "flags", &flags));
    }
  }
  AppendLink(out, trace_id, span_id, trace_state, attributes.Finish(), dropped, flags);
  return Status::OK();
}

}  // namespace otelstack::otlp

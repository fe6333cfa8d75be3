#include "otlp/proto_decoder.h"

#include <bit>

#include "common/any_value.h"
#include "common/varint.h"
#include "otlp/error_context.h"

namespace otelstack::otlp {

using wire::Field;
using wire::WireType;

namespace {
inline bool IsLen(const Field& f) { return f.type == WireType::kLen; }
inline bool IsVarint(const Field& f) { return f.type == WireType::kVarint; }
inline bool IsFixed64(const Field& f) { return f.type == WireType::kFixed64; }
inline bool IsFixed32(const Field& f) { return f.type == WireType::kFixed32; }

// The wire type each AnyValue oneof member (fields 1..7) must have.
bool IsAnyValueMember(const Field& f) {
  switch (f.number) {
    case 1:
    case 5:
    case 6:
    case 7:
      return IsLen(f);
    case 2:
    case 3:
      return IsVarint(f);
    case 4:
      return IsFixed64(f);
  }
  return false;
}

// The fast path for the KeyValue layout every SDK writes: key (field 1),
// then value (field 2) as the last field, holding an AnyValue with exactly
// one scalar member (string, bool, int or double) or none. Appends what
// the general path (AppendKeyValue) appends for such a message and returns
// true; returns false without appending for anything else (other members,
// repeated or unknown fields, another order, malformed bytes), which the
// general path then decodes or rejects.
bool AppendCanonicalKeyValue(std::string_view msg, std::string* out) {
  constexpr char kKeyTag = (1 << 3) | 2, kValueTag = (2 << 3) | 2;
  std::string_view key, value;
  if (msg.empty() || msg[0] != kKeyTag) return false;
  msg.remove_prefix(1);
  if (!GetLengthPrefixed(&msg, &key) || msg.empty() || msg[0] != kValueTag) return false;
  msg.remove_prefix(1);
  if (!GetLengthPrefixed(&msg, &value) || !msg.empty()) return false;
  if (value.empty()) {  // an AnyValue without a member
    anyvalue::AppendKey(out, key);
    anyvalue::AppendEmpty(out);
    return true;
  }
  const char member_tag = value[0];
  value.remove_prefix(1);
  std::string_view str;
  uint64_t varint = 0;
  switch (member_tag) {
    case (1 << 3) | 2:  // string_value
      if (!GetLengthPrefixed(&value, &str) || !value.empty()) return false;
      anyvalue::AppendStringEntry(out, key, str);
      return true;
    case (2 << 3) | 0:  // bool_value
      if (!GetVarint64(&value, &varint) || !value.empty()) return false;
      anyvalue::AppendBoolEntry(out, key, varint != 0);
      return true;
    case (3 << 3) | 0:  // int_value
      if (!GetVarint64(&value, &varint) || !value.empty()) return false;
      anyvalue::AppendIntEntry(out, key, static_cast<int64_t>(varint));
      return true;
    case (4 << 3) | 1:  // double_value
      if (value.size() != 8) return false;
      anyvalue::AppendDoubleEntry(out, key, std::bit_cast<double>(DecodeFixed64(value.data())));
      return true;
  }
  return false;
}
}  // namespace

// ---- Request structure ---------------------------------------------------

Status ProtoDecoder::DecodeLogs(std::string_view request) {
  static constexpr Layout kLayout = {"resource_logs", "scope_logs", "log_records", &ProtoDecoder::DecodeLogRecord};
  return DecodeRequest(request, kLayout);
}

Status ProtoDecoder::DecodeTraces(std::string_view request) {
  static constexpr Layout kLayout = {"resource_spans", "scope_spans", "spans", &ProtoDecoder::DecodeSpan};
  return DecodeRequest(request, kLayout);
}

Status ProtoDecoder::DecodeMetrics(std::string_view request) {
  static constexpr Layout kLayout = {"resource_metrics", "scope_metrics", "metrics", &ProtoDecoder::DecodeMetric};
  return DecodeRequest(request, kLayout);
}

Status ProtoDecoder::DecodeRequest(std::string_view request, const Layout& layout) {
  wire::Reader reader(request);
  Field f;
  size_t index = 0;
  while (reader.Next(&f)) {
    if (f.number == 1 && IsLen(f)) {
      OTLP_RETURN_IF_ERROR_CTX(DecodeResourceGroup(f.bytes, layout), Indexed(layout.resource_list, index));
      ++index;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  return Status::OK();
}

// Resource{Logs,Spans,Metrics}: resource = 1, scope_* = 2, schema_url = 3.
Status ProtoDecoder::DecodeResourceGroup(std::string_view msg, const Layout& layout) {
  ResourceFields resource;
  std::string_view resource_msg;
  bool has_resource = false;
  wire::Reader first_pass(msg);
  Field f;
  while (first_pass.Next(&f)) {
    if (f.number == 1 && IsLen(f)) {
      resource_msg = f.bytes;
      has_resource = true;
    } else if (f.number == 3 && IsLen(f)) {
      resource.schema_url = f.bytes;
    }
  }
  if (first_pass.error()) return MalformedProtobuf(first_pass);
  if (has_resource) OTLP_RETURN_IF_ERROR_CTX(ParseResource(resource_msg, &resource), "resource");

  wire::Reader reader(msg);
  size_t index = 0;
  while (reader.Next(&f)) {
    if (f.number == 2 && IsLen(f)) {
      OTLP_RETURN_IF_ERROR_CTX(DecodeScopeGroup(f.bytes, resource, layout), Indexed(layout.scope_list, index));
      ++index;
    }
  }
  return Status::OK();  // the first pass validated the framing
}

// Scope{Logs,Spans,Metrics}: scope = 1, items = 2, schema_url = 3.
Status ProtoDecoder::DecodeScopeGroup(std::string_view msg, const ResourceFields& resource, const Layout& layout) {
  ScopeFields scope;
  std::string_view scope_msg;
  bool has_scope = false;
  wire::Reader first_pass(msg);
  Field f;
  while (first_pass.Next(&f)) {
    if (f.number == 1 && IsLen(f)) {
      scope_msg = f.bytes;
      has_scope = true;
    } else if (f.number == 3 && IsLen(f)) {
      scope.schema_url = f.bytes;
    }
  }
  if (first_pass.error()) return MalformedProtobuf(first_pass);
  if (has_scope) OTLP_RETURN_IF_ERROR_CTX(ParseScope(scope_msg, &scope), "scope");

  wire::Reader reader(msg);
  size_t index = 0;
  while (reader.Next(&f)) {
    if (f.number == 2 && IsLen(f)) {
      OTLP_RETURN_IF_ERROR_CTX((this->*layout.decode_item)(resource, scope, f.bytes), Indexed(layout.item_list, index));
      ++index;
    }
  }
  return Status::OK();
}

// Resource: attributes = 1, dropped_attributes_count = 2.
Status ProtoDecoder::ParseResource(std::string_view msg, ResourceFields* out) {
  ListBuilder attributes(&resource_attributes_, ListBuilder::Kind::kKvList);
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    if (f.number == 1 && IsLen(f)) {
      OTELSTACK_RETURN_IF_ERROR(AddAttribute(f.bytes, &attributes));
    } else if (f.number == 2 && IsVarint(f)) {
      out->dropped_attributes_count = wire::Uint32Of(f);
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  out->attributes = attributes.Finish();
  out->service_name = ServiceNameOf(out->attributes);
  return Status::OK();
}

// InstrumentationScope: name = 1, version = 2, attributes = 3,
// dropped_attributes_count = 4.
Status ProtoDecoder::ParseScope(std::string_view msg, ScopeFields* out) {
  ListBuilder attributes(&scope_attributes_, ListBuilder::Kind::kKvList);
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    switch (f.number) {
      case 1:
        if (IsLen(f)) out->name = f.bytes;
        break;
      case 2:
        if (IsLen(f)) out->version = f.bytes;
        break;
      case 3:
        if (IsLen(f)) OTELSTACK_RETURN_IF_ERROR(AddAttribute(f.bytes, &attributes));
        break;
      case 4:
        if (IsVarint(f)) out->dropped_attributes_count = wire::Uint32Of(f);
        break;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  out->attributes = attributes.Finish();
  return Status::OK();
}

// ---- AnyValue ------------------------------------------------------------

Status ProtoDecoder::AddAttribute(std::string_view msg, ListBuilder* list, const char* field) {
  // Nearly every attribute: small enough to be inlined at the callers, so
  // that no Status is made for it.
  if (AppendCanonicalKeyValue(msg, list->buffer())) {
    list->Added();
    return Status::OK();
  }
  return AddAttributeSlow(msg, list, field);
}

Status ProtoDecoder::AddAttributeSlow(std::string_view msg, ListBuilder* list, const char* field) {
  OTLP_RETURN_IF_ERROR_CTX(AppendKeyValue(msg, list->buffer(), 1), Indexed(field, list->count()));
  list->Added();
  return Status::OK();
}

// KeyValue: key = 1, value = 2.
Status ProtoDecoder::AppendKeyValue(std::string_view msg, std::string* out, int depth) {
  // The value is an AnyValue at `depth`: too deep fails on the general path.
  if (depth <= kMaxAnyValueDepth && AppendCanonicalKeyValue(msg, out)) return Status::OK();
  std::string_view key, value;
  bool has_value = false;
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    if (f.number == 1 && IsLen(f)) {
      key = f.bytes;
    } else if (f.number == 2 && IsLen(f)) {
      value = f.bytes;
      has_value = true;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  anyvalue::AppendKey(out, key);
  if (!has_value) {
    anyvalue::AppendEmpty(out);
    return Status::OK();
  }
  OTLP_RETURN_IF_ERROR_CTX(AppendAnyValue(value, out, depth), key);
  return Status::OK();
}

// AnyValue: oneof string_value = 1, bool_value = 2, int_value = 3,
// double_value = 4, array_value = 5 (ArrayValue: values = 1),
// kvlist_value = 6 (KeyValueList: values = 1), bytes_value = 7.
Status ProtoDecoder::AppendAnyValue(std::string_view msg, std::string* out, int depth) {
  if (depth > kMaxAnyValueDepth) {
    return Status::InvalidArgument("AnyValue nested deeper than " + std::to_string(kMaxAnyValueDepth) + " levels");
  }
  // Nearly every log body: a string_value and nothing else.
  constexpr char kStringValueTag = (1 << 3) | 2;
  if (std::string_view rest = msg, str; !rest.empty() && rest[0] == kStringValueTag) {
    rest.remove_prefix(1);
    if (GetLengthPrefixed(&rest, &str) && rest.empty()) {
      anyvalue::AppendString(out, str);
      return Status::OK();
    }
  }
  Field chosen;  // the last oneof member on the wire wins
  bool has_value = false;
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    if (IsAnyValueMember(f)) {
      chosen = f;
      has_value = true;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  if (!has_value) {
    anyvalue::AppendEmpty(out);
    return Status::OK();
  }
  switch (chosen.number) {
    case 1:
      anyvalue::AppendString(out, chosen.bytes);
      break;
    case 2:
      anyvalue::AppendBool(out, chosen.value != 0);
      break;
    case 3:
      anyvalue::AppendInt(out, wire::Int64Of(chosen));
      break;
    case 4:
      anyvalue::AppendDouble(out, wire::DoubleOf(chosen));
      break;
    case 5:
    case 6: {
      const bool is_kvlist = chosen.number == 6;
      size_t handle = is_kvlist ? anyvalue::BeginKvList(out) : anyvalue::BeginArray(out);
      uint32_t count = 0;
      wire::Reader items(chosen.bytes);
      while (items.Next(&f)) {
        if (f.number != 1 || !IsLen(f)) continue;
        if (is_kvlist) {
          OTLP_RETURN_IF_ERROR_CTX(AppendKeyValue(f.bytes, out, depth + 1), Indexed("kvlist_value", count));
        } else {
          OTLP_RETURN_IF_ERROR_CTX(AppendAnyValue(f.bytes, out, depth + 1), Indexed("array_value", count));
        }
        ++count;
      }
      if (items.error()) return MalformedProtobuf(items);
      anyvalue::EndList(out, handle, count);
      break;
    }
    case 7:
      anyvalue::AppendBytes(out, chosen.bytes);
      break;
  }
  return Status::OK();
}

// ---- Logs ------------------------------------------------------------------

// LogRecord: time_unix_nano = 1 (fixed64), severity_number = 2,
// severity_text = 3, body = 5, attributes = 6, dropped_attributes_count = 7,
// flags = 8 (fixed32), trace_id = 9, span_id = 10,
// observed_time_unix_nano = 11 (fixed64), event_name = 12.
Status ProtoDecoder::DecodeLogRecord(const ResourceFields& resource, const ScopeFields& scope, std::string_view msg) {
  LogRecordFields record;
  ListBuilder attributes(&attributes_, ListBuilder::Kind::kKvList);
  bool has_body = false;
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    switch (f.number) {
      case 1:
        if (IsFixed64(f)) record.time_unix_nano = f.value;
        break;
      case 2:
        if (IsVarint(f)) record.severity_number = wire::Int32Of(f);
        break;
      case 3:
        if (IsLen(f)) record.severity_text = f.bytes;
        break;
      case 5:
        if (IsLen(f)) {
          body_.clear();
          OTLP_RETURN_IF_ERROR_CTX(AppendAnyValue(f.bytes, &body_, 1), "body");
          has_body = true;
        }
        break;
      case 6:
        if (IsLen(f)) OTELSTACK_RETURN_IF_ERROR(AddAttribute(f.bytes, &attributes));
        break;
      case 7:
        if (IsVarint(f)) record.dropped_attributes_count = wire::Uint32Of(f);
        break;
      case 8:
        if (IsFixed32(f)) record.flags = wire::Uint32Of(f);
        break;
      case 9:
        if (IsLen(f)) record.trace_id = f.bytes;
        break;
      case 10:
        if (IsLen(f)) record.span_id = f.bytes;
        break;
      case 11:
        if (IsFixed64(f)) record.observed_time_unix_nano = f.value;
        break;
      case 12:
        if (IsLen(f)) record.event_name = f.bytes;
        break;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  if (has_body) record.body = body_;
  record.attributes = attributes.Finish();
  rows_->AddLog(resource, scope, record);
  return Status::OK();
}

// ---- Traces ----------------------------------------------------------------

// Span: trace_id = 1, span_id = 2, trace_state = 3, parent_span_id = 4,
// name = 5, kind = 6, start_time_unix_nano = 7 (fixed64),
// end_time_unix_nano = 8 (fixed64), attributes = 9,
// dropped_attributes_count = 10, events = 11, dropped_events_count = 12,
// links = 13, dropped_links_count = 14, status = 15 (message = 2, code = 3),
// flags = 16 (fixed32).
Status ProtoDecoder::DecodeSpan(const ResourceFields& resource, const ScopeFields& scope, std::string_view msg) {
  SpanFields span;
  ListBuilder attributes(&attributes_, ListBuilder::Kind::kKvList);
  ListBuilder events(&events_, ListBuilder::Kind::kArray);
  ListBuilder links(&links_, ListBuilder::Kind::kArray);
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    switch (f.number) {
      case 1:
        if (IsLen(f)) span.trace_id = f.bytes;
        break;
      case 2:
        if (IsLen(f)) span.span_id = f.bytes;
        break;
      case 3:
        if (IsLen(f)) span.trace_state = f.bytes;
        break;
      case 4:
        if (IsLen(f)) span.parent_span_id = f.bytes;
        break;
      case 5:
        if (IsLen(f)) span.name = f.bytes;
        break;
      case 6:
        if (IsVarint(f)) span.kind = wire::Int32Of(f);
        break;
      case 7:
        if (IsFixed64(f)) span.start_time_unix_nano = f.value;
        break;
      case 8:
        if (IsFixed64(f)) span.end_time_unix_nano = f.value;
        break;
      case 9:
        if (IsLen(f)) OTELSTACK_RETURN_IF_ERROR(AddAttribute(f.bytes, &attributes));
        break;
      case 10:
        if (IsVarint(f)) span.dropped_attributes_count = wire::Uint32Of(f);
        break;
      case 11:
        if (IsLen(f)) {
          OTLP_RETURN_IF_ERROR_CTX(AppendSpanEvent(f.bytes, events.buffer()), Indexed("events", events.count()));
          events.Added();
        }
        break;
      case 12:
        if (IsVarint(f)) span.dropped_events_count = wire::Uint32Of(f);
        break;
      case 13:
        if (IsLen(f)) {
          OTLP_RETURN_IF_ERROR_CTX(AppendSpanLink(f.bytes, links.buffer()), Indexed("links", links.count()));
          links.Added();
        }
        break;
      case 14:
        if (IsVarint(f)) span.dropped_links_count = wire::Uint32Of(f);
        break;
      case 15:
        if (IsLen(f)) {
          wire::Reader status(f.bytes);
          Field sf;
          while (status.Next(&sf)) {
            if (sf.number == 2 && IsLen(sf)) span.status_message = sf.bytes;
            if (sf.number == 3 && IsVarint(sf)) span.status_code = wire::Int32Of(sf);
          }
          if (status.error()) return MalformedProtobuf(status).WithContext("status");
        }
        break;
      case 16:
        if (IsFixed32(f)) span.flags = wire::Uint32Of(f);
        break;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  span.attributes = attributes.Finish();
  span.events = events.Finish();
  span.links = links.Finish();
  rows_->AddSpan(resource, scope, span);
  return Status::OK();
}

// Span.Event: time_unix_nano = 1 (fixed64), name = 2, attributes = 3,
// dropped_attributes_count = 4.
Status ProtoDecoder::AppendSpanEvent(std::string_view msg, std::string* out) {
  uint64_t time = 0, dropped = 0;
  std::string_view name;
  ListBuilder attributes(&item_attributes_, ListBuilder::Kind::kKvList);
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    switch (f.number) {
      case 1:
        if (IsFixed64(f)) time = f.value;
        break;
      case 2:
        if (IsLen(f)) name = f.bytes;
        break;
      case 3:
        if (IsLen(f)) OTELSTACK_RETURN_IF_ERROR(AddAttribute(f.bytes, &attributes));
        break;
      case 4:
        if (IsVarint(f)) dropped = wire::Uint32Of(f);
        break;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  AppendEvent(out, time, name, attributes.Finish(), dropped);
  return Status::OK();
}

// Span.Link: trace_id = 1, span_id = 2, trace_state = 3, attributes = 4,
// dropped_attributes_count = 5, flags = 6 (fixed32).
Status ProtoDecoder::AppendSpanLink(std::string_view msg, std::string* out) {
  std::string_view trace_id, span_id, trace_state;
  uint64_t dropped = 0;
  uint32_t flags = 0;
  ListBuilder attributes(&item_attributes_, ListBuilder::Kind::kKvList);
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    switch (f.number) {
      case 1:
        if (IsLen(f)) trace_id = f.bytes;
        break;
      case 2:
        if (IsLen(f)) span_id = f.bytes;
        break;
      case 3:
        if (IsLen(f)) trace_state = f.bytes;
        break;
      case 4:
        if (IsLen(f)) OTELSTACK_RETURN_IF_ERROR(AddAttribute(f.bytes, &attributes));
        break;
      case 5:
        if (IsVarint(f)) dropped = wire::Uint32Of(f);
        break;
      case 6:
        if (IsFixed32(f)) flags = wire::Uint32Of(f);
        break;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  AppendLink(out, trace_id, span_id, trace_state, attributes.Finish(), dropped, flags);
  return Status::OK();
}

}  // namespace otelstack::otlp

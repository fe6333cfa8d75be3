// JsonDecoder: Export{Logs,Trace,Metrics}ServiceRequest in OTLP/JSON
// encoding -> RowWriter.
//
// Parses with the simdjson DOM API, then walks the tree. Keys are the
// lowerCamelCase JSON names or the original proto field names; unknown keys are
// ignored; null means "absent". Value spellings are those of json_values.h.
// Wrong JSON types fail the whole request with InvalidArgument naming the field
// path ("resourceLogs[0]: scopeLogs[0]: logRecords[3]: timeUnixNano: ...").
//
// The decoded items are the same structs the protobuf decoder produces, so the
// same request in either encoding yields identical rows.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "common/status.h"
#include "otlp/error_context.h"
#include "otlp/json_values.h"
#include "otlp/records.h"
#include "store/schema/schema.h"

namespace otelstack::otlp {

class JsonDecoder {
 public:
  explicit JsonDecoder(RowWriter* rows) : rows_(rows) {}
  JsonDecoder(const JsonDecoder&) = delete;
  JsonDecoder& operator=(const JsonDecoder&) = delete;

  Status Decode(Signal signal, std::string_view body);

 private:
  using Element = simdjson::dom::element;
  using ItemDecoder = Status (JsonDecoder::*)(const ResourceFields&, const ScopeFields&, Element);
  struct ListKey {
    const char* camel;
    const char* snake;
  };
  struct Layout {
    ListKey resource_list, scope_list, item_list;
    ItemDecoder decode_item;
  };
  Status DecodeResourceGroup(Element e, const Layout& layout);
  Status DecodeScopeGroup(Element e, const ResourceFields& resource, const Layout& layout);
  // Calls fn(element, index) for each item of a JSON array field.
  template <typename Fn>
  Status ForEach(Element list, const char* field, Fn&& fn);

  Status ParseResource(Element e, ResourceFields* out);
  Status ParseScope(Element e, ScopeFields* out);
  // Appends every KeyValue of a JSON array to a kvlist being built.
  Status AddAttributes(Element list, const char* field, ListBuilder* out);
  Status AppendKeyValue(Element e, std::string* out, int depth);
  Status AppendAnyValue(Element e, std::string* out, int depth);

  Status DecodeLogRecord(const ResourceFields& resource, const ScopeFields& scope, Element e);
  Status DecodeSpan(const ResourceFields& resource, const ScopeFields& scope, Element e);
  Status AppendSpanEvent(Element e, std::string* out);
  Status AppendSpanLink(Element e, std::string* out);

  // Metrics (json_metrics.cc).
  Status DecodeMetric(const ResourceFields& resource, const ScopeFields& scope, Element e);
  Status DecodeDataPoint(MetricKind kind, Element e, DataPointFields* p);
  Status DecodeBuckets(Element e, int64_t* offset, std::string* counts_buffer, std::string_view* counts);
  Status AppendExemplarItem(Element e, std::string* out);

  RowWriter* rows_;
  simdjson::dom::parser parser_;
  // Scratch buffers as in ProtoDecoder, plus decoded ids and bytes.
  std::string resource_attributes_;
  std::string scope_attributes_;
  std::string metadata_;
  std::string attributes_;
  std::string body_;
  std::string events_;
  std::string links_;
  std::string item_attributes_;
  std::string exemplars_;
  std::string bucket_counts_;
  std::string explicit_bounds_;
  std::string positive_buckets_;
  std::string negative_buckets_;
  std::string quantiles_;
  std::string trace_id_;
  std::string span_id_;
  std::string parent_span_id_;
  std::string item_trace_id_;  // of the current link / exemplar
  std::string item_span_id_;
  std::string bytes_;  // a decoded bytesValue, copied out at once
};

template <typename Fn>
Status JsonDecoder::ForEach(Element list, const char* field, Fn&& fn) {
  json::array items;
  OTELSTACK_RETURN_IF_ERROR(json::GetArray(list, field, &items));
  size_t index = 0;
  for (Element item : items) {
    OTLP_RETURN_IF_ERROR_CTX(fn(item, index), Indexed(field, index));
    ++index;
  }
  return Status::OK();
}

}  // namespace otelstack::otlp

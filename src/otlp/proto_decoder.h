// ProtoDecoder: Export{Logs,Trace,Metrics}ServiceRequest in protobuf
// encoding -> RowWriter.
//
// Field numbers follow open-telemetry/opentelemetry-proto
// (opentelemetry/proto/{collector,common,resource,logs,trace,metrics}/v1).
// Unknown fields, and known fields arriving with an unexpected wire type, are
// skipped as protobuf requires. Repeated scalars are accepted packed and
// unpacked. Messages are read in two passes where a field needed first may
// come last on the wire (a ScopeLogs' schema_url after its records, a
// KeyValue's key after its value...).
//
// Attribute maps and AnyValues are encoded straight into scratch buffers owned
// by the decoder and reused from row to row, so decoding allocates nothing per
// attribute once the buffers have grown. One decoder serves one request at a
// time; it is cheap to construct.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "otlp/proto_wire.h"
#include "otlp/records.h"

namespace otelstack::otlp {

// InvalidArgument naming what was malformed (REQUIRES: reader.error()).
inline Status MalformedProtobuf(const wire::Reader& reader) {
  return Status::InvalidArgument(std::string("malformed protobuf: ") + reader.error());
}

class ProtoDecoder {
 public:
  explicit ProtoDecoder(RowWriter* rows) : rows_(rows) {}
  ProtoDecoder(const ProtoDecoder&) = delete;
  ProtoDecoder& operator=(const ProtoDecoder&) = delete;

  Status DecodeLogs(std::string_view request);
  Status DecodeTraces(std::string_view request);
  Status DecodeMetrics(std::string_view request);

 private:
  // Decodes one item (log record, span, metric) of a Scope{Logs,Spans,Metrics}.
  using ItemDecoder = Status (ProtoDecoder::*)(const ResourceFields&, const ScopeFields&, std::string_view);
  struct Layout {
    const char* resource_list;  // "resource_logs"
    const char* scope_list;     // "scope_logs"
    const char* item_list;      // "log_records"
    ItemDecoder decode_item;
  };
  Status DecodeRequest(std::string_view request, const Layout& layout);
  Status DecodeResourceGroup(std::string_view msg, const Layout& layout);
  Status DecodeScopeGroup(std::string_view msg, const ResourceFields& resource, const Layout& layout);
  Status ParseResource(std::string_view msg, ResourceFields* out);
  Status ParseScope(std::string_view msg, ScopeFields* out);

  // AnyValue / KeyValue encodings appended to `out`; depth counts AnyValue
  // nesting (a top-level value is 1).
  Status AppendAnyValue(std::string_view msg, std::string* out, int depth);
  Status AppendKeyValue(std::string_view msg, std::string* out, int depth);
  // Appends one entry (a KeyValue message) to a kvlist being built; `field`
  // names the list in errors.
  Status AddAttribute(std::string_view msg, ListBuilder* list, const char* field = "attributes");
  Status AddAttributeSlow(std::string_view msg, ListBuilder* list, const char* field);  // the general path

  Status DecodeLogRecord(const ResourceFields& resource, const ScopeFields& scope, std::string_view msg);
  Status DecodeSpan(const ResourceFields& resource, const ScopeFields& scope, std::string_view msg);
  Status AppendSpanEvent(std::string_view msg, std::string* out);
  Status AppendSpanLink(std::string_view msg, std::string* out);

  // Metrics (proto_metrics.cc).
  Status DecodeMetric(const ResourceFields& resource, const ScopeFields& scope, std::string_view msg);
  Status DecodeNumberPoint(std::string_view msg, DataPointFields* p);
  Status DecodeHistogramPoint(std::string_view msg, DataPointFields* p);
  Status DecodeExponentialHistogramPoint(std::string_view msg, DataPointFields* p);
  Status DecodeSummaryPoint(std::string_view msg, DataPointFields* p);
  Status AppendExemplarItem(std::string_view msg, std::string* out);

  RowWriter* rows_;
  // Scratch buffers, named by what they hold; each is rebuilt for every item
  // of its level and only grows.
  std::string resource_attributes_;
  std::string scope_attributes_;
  std::string metadata_;
  std::string attributes_;  // of the current log record / span / data point
  std::string body_;
  std::string events_;
  std::string links_;
  std::string item_attributes_;  // of the current event / link / exemplar
  std::string exemplars_;
  std::string bucket_counts_;
  std::string explicit_bounds_;
  std::string positive_buckets_;
  std::string negative_buckets_;
  std::string quantiles_;
};

}  // namespace otelstack::otlp

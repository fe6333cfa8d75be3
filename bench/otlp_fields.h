// Field numbers of the OTLP protobuf messages the load generator writes
// (opentelemetry-proto: collector/{logs,trace}/v1, logs/v1, trace/v1,
// common/v1, resource/v1), and helpers for KeyValue attributes.
#pragma once

#include <cstdint>
#include <string_view>

#include "bench/proto_writer.h"

namespace otelstack::bench::otlp_fields {

// ExportLogsServiceRequest / ExportTraceServiceRequest
inline constexpr uint32_t kRequestResourceLogs = 1;
inline constexpr uint32_t kRequestResourceSpans = 1;

// ResourceLogs / ResourceSpans
inline constexpr uint32_t kResourceResource = 1;
inline constexpr uint32_t kResourceScopeItems = 2;  // scope_logs / scope_spans
inline constexpr uint32_t kResourceSchemaUrl = 3;

// Resource
inline constexpr uint32_t kResourceAttributes = 1;

// ScopeLogs / ScopeSpans
inline constexpr uint32_t kScopeScope = 1;
inline constexpr uint32_t kScopeItems = 2;  // log_records / spans
inline constexpr uint32_t kScopeSchemaUrl = 3;

// InstrumentationScope
inline constexpr uint32_t kScopeName = 1;
inline constexpr uint32_t kScopeVersion = 2;

// LogRecord
inline constexpr uint32_t kLogTimeUnixNano = 1;  // fixed64
inline constexpr uint32_t kLogSeverityNumber = 2;
inline constexpr uint32_t kLogSeverityText = 3;
inline constexpr uint32_t kLogBody = 5;
inline constexpr uint32_t kLogAttributes = 6;
inline constexpr uint32_t kLogFlags = 8;  // fixed32
inline constexpr uint32_t kLogTraceId = 9;
inline constexpr uint32_t kLogSpanId = 10;
inline constexpr uint32_t kLogObservedTimeUnixNano = 11;  // fixed64

// Span
inline constexpr uint32_t kSpanTraceId = 1;
inline constexpr uint32_t kSpanSpanId = 2;
inline constexpr uint32_t kSpanTraceState = 3;
inline constexpr uint32_t kSpanParentSpanId = 4;
inline constexpr uint32_t kSpanName = 5;
inline constexpr uint32_t kSpanKind = 6;
inline constexpr uint32_t kSpanStartTimeUnixNano = 7;  // fixed64
inline constexpr uint32_t kSpanEndTimeUnixNano = 8;    // fixed64
inline constexpr uint32_t kSpanAttributes = 9;
inline constexpr uint32_t kSpanEvents = 11;
inline constexpr uint32_t kSpanLinks = 13;
inline constexpr uint32_t kSpanStatus = 15;
inline constexpr uint32_t kSpanFlags = 16;  // fixed32

// Span.Event
inline constexpr uint32_t kEventTimeUnixNano = 1;  // fixed64
inline constexpr uint32_t kEventName = 2;
inline constexpr uint32_t kEventAttributes = 3;

// Span.Link
inline constexpr uint32_t kLinkTraceId = 1;
inline constexpr uint32_t kLinkSpanId = 2;

// Status
inline constexpr uint32_t kStatusMessage = 2;
inline constexpr uint32_t kStatusCode = 3;

// KeyValue
inline constexpr uint32_t kKeyValueKey = 1;
inline constexpr uint32_t kKeyValueValue = 2;

// AnyValue
inline constexpr uint32_t kAnyString = 1;
inline constexpr uint32_t kAnyBool = 2;
inline constexpr uint32_t kAnyInt = 3;
inline constexpr uint32_t kAnyDouble = 4;
inline constexpr uint32_t kAnyArray = 5;
inline constexpr uint32_t kAnyKvList = 6;
inline constexpr uint32_t kAnyBytes = 7;

}  // namespace otelstack::bench::otlp_fields

namespace otelstack::bench {

// Appends a KeyValue (as field `field` of `out`) holding one scalar AnyValue.
inline void AddStringAttr(ProtoWriter* out, uint32_t field, std::string_view key, std::string_view value) {
  ProtoWriter any, kv;
  any.String(otlp_fields::kAnyString, value);
  kv.String(otlp_fields::kKeyValueKey, key);
  kv.Message(otlp_fields::kKeyValueValue, any);
  out->Message(field, kv);
}
inline void AddIntAttr(ProtoWriter* out, uint32_t field, std::string_view key, int64_t value) {
  ProtoWriter any, kv;
  any.Int64(otlp_fields::kAnyInt, value);
  kv.String(otlp_fields::kKeyValueKey, key);
  kv.Message(otlp_fields::kKeyValueValue, any);
  out->Message(field, kv);
}
inline void AddDoubleAttr(ProtoWriter* out, uint32_t field, std::string_view key, double value) {
  ProtoWriter any, kv;
  any.Double(otlp_fields::kAnyDouble, value);
  kv.String(otlp_fields::kKeyValueKey, key);
  kv.Message(otlp_fields::kKeyValueValue, any);
  out->Message(field, kv);
}
inline void AddBoolAttr(ProtoWriter* out, uint32_t field, std::string_view key, bool value) {
  ProtoWriter any, kv;
  any.Bool(otlp_fields::kAnyBool, value);
  kv.String(otlp_fields::kKeyValueKey, key);
  kv.Message(otlp_fields::kKeyValueValue, any);
  out->Message(field, kv);
}

}  // namespace otelstack::bench

// Decoding OTLP export requests into RowBatches.
//
// Input is the (already decompressed) body of an Export*ServiceRequest in
// protobuf or OTLP/JSON encoding. Output is one RowBatch of the signal's
// schema (store/schema/schema.h). Decoding is deterministic: the same input
// and receive time always give the same rows, which is what lets the store
// keep request bodies in its write-ahead log and decode them again on replay.
//
// Errors: a body that is not a valid request (bad wire format, bad JSON,
// wrong field types) fails as a whole with InvalidArgument and a message that
// names what was wrong. Items that are well-formed but unusable (for example
// a trace id that is not 16 bytes) are skipped and counted as rejected, with
// the first reason kept, for the OTLP partial_success response.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/schema/row_batch.h"

namespace otelstack::otlp {

enum class Encoding : uint8_t { kProtobuf = 0, kJson = 1 };

struct DecodeResult {
  std::shared_ptr<RowBatch> batch;  // never null after a successful Decode
  uint64_t rejected = 0;            // items skipped (log records, spans, data points)
  std::string rejection_message;    // why the first rejected item was skipped
};

// REQUIRES: `body` stays valid during the call only; rows copy what they keep.
// `receive_time_ns` stands in for missing timestamps (a log record without
// time_unix_nano and observed_time_unix_nano; a data point with
// time_unix_nano 0). Thread-safe: calls share no state.
// On error *out is reset (batch null, rejected 0).
Status Decode(Signal signal, Encoding encoding, std::string_view body, uint64_t receive_time_ns,
              DecodeResult* out);

// The Export*ServiceResponse body for a successful request, with
// partial_success filled when `rejected` > 0.
std::string EncodeExportResponse(Signal signal, Encoding encoding, uint64_t rejected, std::string_view message);

// A google.rpc.Status body (code per google.rpc.Code, e.g. 3 INVALID_ARGUMENT)
// for error responses over OTLP/HTTP.
std::string EncodeRpcStatus(Encoding encoding, int code, std::string_view message);

}  // namespace otelstack::otlp

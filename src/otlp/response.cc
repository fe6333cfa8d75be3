// Export*ServiceResponse and google.rpc.Status bodies.
//
//   Export{Logs,Trace,Metrics}ServiceResponse { partial_success = 1 }
//   Export*PartialSuccess { int64 rejected_<items> = 1; string error_message = 2; }
//   google.rpc.Status { int32 code = 1; string message = 2; }

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/varint.h"
#include "otlp/decode.h"

namespace otelstack::otlp {

namespace {
constexpr uint8_t kLenType = 2;
constexpr uint8_t kVarintType = 0;

void PutTag(std::string* out, uint32_t number, uint8_t type) { PutVarint64(out, (number << 3) | type); }

void PutStringField(std::string* out, uint32_t number, std::string_view s) {
  PutTag(out, number, kLenType);
  PutVarint64(out, s.size());
  out->append(s.data(), s.size());
}

std::string_view RejectedKey(Signal signal) {
  switch (signal) {
    case Signal::kLogs:
      return "rejectedLogRecords";
    case Signal::kTraces:
      return "rejectedSpans";
    case Signal::kMetrics:
      return "rejectedDataPoints";
  }
  return "rejected";
}

void WriteKey(rapidjson::Writer<rapidjson::StringBuffer>* w, std::string_view key) {
  w->Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}
}  // namespace

std::string EncodeExportResponse(Signal signal, Encoding encoding, uint64_t rejected, std::string_view message) {
  if (encoding == Encoding::kProtobuf) {
    std::string out;
    if (rejected == 0) return out;
    std::string partial;
    PutTag(&partial, 1, kVarintType);
    PutVarint64(&partial, rejected);
    if (!message.empty()) PutStringField(&partial, 2, message);
    PutStringField(&out, 1, partial);
    return out;
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  if (rejected > 0) {
    WriteKey(&w, "partialSuccess");
    w.StartObject();
    WriteKey(&w, RejectedKey(signal));
    std::string count = std::to_string(rejected);  // int64 is a string in protobuf JSON
    w.String(count.data(), static_cast<rapidjson::SizeType>(count.size()));
    if (!message.empty()) {
      WriteKey(&w, "errorMessage");
      w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
    }
    w.EndObject();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string EncodeRpcStatus(Encoding encoding, int code, std::string_view message) {
  if (encoding == Encoding::kProtobuf) {
    std::string out;
    if (code != 0) {
      PutTag(&out, 1, kVarintType);
      PutVarint64(&out, static_cast<uint64_t>(static_cast<int64_t>(code)));  // int32: sign-extended
    }
    if (!message.empty()) PutStringField(&out, 2, message);
    return out;
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  WriteKey(&w, "code");
  w.Int(code);
  WriteKey(&w, "message");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace otelstack::otlp

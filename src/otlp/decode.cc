#include "otlp/decode.h"

#include "otlp/json_decoder.h"
#include "otlp/proto_decoder.h"
#include "otlp/records.h"

namespace otelstack::otlp {

namespace {
std::string_view RequestName(Signal signal) {
  switch (signal) {
    case Signal::kLogs:
      return "ExportLogsServiceRequest";
    case Signal::kTraces:
      return "ExportTraceServiceRequest";
    case Signal::kMetrics:
      return "ExportMetricsServiceRequest";
  }
  return "request";
}
}  // namespace

Status Decode(Signal signal, Encoding encoding, std::string_view body, uint64_t receive_time_ns, DecodeResult* out) {
  *out = DecodeResult();
  auto batch = std::make_shared<RowBatch>(signal);
  RowWriter rows(batch.get(), out, receive_time_ns);
  Status st;
  if (encoding == Encoding::kProtobuf) {
    ProtoDecoder decoder(&rows);
    switch (signal) {
      case Signal::kLogs:
        st = decoder.DecodeLogs(body);
        break;
      case Signal::kTraces:
        st = decoder.DecodeTraces(body);
        break;
      case Signal::kMetrics:
        st = decoder.DecodeMetrics(body);
        break;
    }
  } else {
    JsonDecoder decoder(&rows);
    st = decoder.Decode(signal, body);
  }
  if (!st.ok()) {
    *out = DecodeResult();
    return st.WithContext(RequestName(signal));
  }
  out->batch = std::move(batch);
  return Status::OK();
}

}  // namespace otelstack::otlp

#include "otlp/decode.h"

#include <iterator>

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

// The batch a thread last decoded for each signal and encoding, as a model
// for the next (clients send batches that look alike): its footprint and the
// size of its request.
struct BatchModel {
  RowBatch::Footprint footprint;
  size_t body_bytes = 0;
};
thread_local BatchModel batch_models[std::size(kAllSignals)][2];  // [signal][encoding]

// Room for a little more than the model scaled to this request, so that a
// batch slightly larger than predicted does not double a column.
constexpr double kReserveHeadroom = 1.0625;

BatchModel& ModelOf(Signal signal, Encoding encoding) {
  return batch_models[static_cast<size_t>(signal)][static_cast<size_t>(encoding)];
}
}  // namespace

Status Decode(Signal signal, Encoding encoding, std::string_view body, uint64_t receive_time_ns, DecodeResult* out) {
  *out = DecodeResult();
  auto batch = std::make_shared<RowBatch>(signal);
  RowWriter rows(batch.get(), out, receive_time_ns);
  BatchModel& model = ModelOf(signal, encoding);
  if (model.body_bytes != 0) {
    batch->Reserve(model.footprint,
                   kReserveHeadroom * static_cast<double>(body.size()) / static_cast<double>(model.body_bytes));
  }
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
  if (!body.empty()) model = BatchModel{batch->Measure(), body.size()};
  out->batch = std::move(batch);
  return Status::OK();
}

}  // namespace otelstack::otlp

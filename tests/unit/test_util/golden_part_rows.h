// The rows of the part files in tests/data/parts/, which earlier versions of
// the part writer wrote from them (see part_compat_test.cc for which version
// wrote which file). The function must stay as it is: the files hold its
// output, byte for byte.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "common/any_value.h"
#include "store/schema/row_batch.h"

namespace otelstack::test {

// The body word only row i holds, for token lookups.
inline std::string GoldenRowWord(uint32_t i) { return "golden" + std::to_string(i); }

// Row i's trace id (16 bytes), shared by four rows; every other row has none.
inline std::string GoldenRowTraceId(uint32_t i) {
  if (i % 2 != 0) return std::string();
  char id[17];
  std::snprintf(id, sizeof id, "%016x", (i / 4 + 1) * 2654435761u);
  return std::string(id, 16);
}

// `rows` log rows from `first` on, in time order.
inline RowBatch GoldenLogRows(uint32_t first, uint32_t rows) {
  namespace av = anyvalue;
  constexpr uint64_t kBase = 1795305600000000000ull;  // a UTC midnight
  RowBatch b(Signal::kLogs);
  for (uint32_t i = first; i < first + rows; ++i) {
    b.SetU64(logs_col::kTimestamp, kBase + uint64_t{i} * 1'000'000);
    b.SetU64(logs_col::kObservedTimestamp, kBase + uint64_t{i} * 1'000'000 + 5'000 + i % 7);
    b.SetBytes(logs_col::kTraceId, GoldenRowTraceId(i));
    b.SetBytes(logs_col::kServiceName, "svc-" + std::to_string(i % 3));
    b.SetBytes(logs_col::kSeverityText, i % 10 == 0 ? "ERROR" : "INFO");
    b.SetU64(logs_col::kSeverityNumber, i % 10 == 0 ? 17 : 9);
    std::string body;
    av::AppendString(&body, "request " + std::to_string(i * 7919 % 100000) + " handled by worker" +
                                std::to_string(i % 7) + " " + GoldenRowWord(i));
    b.SetBytes(logs_col::kBody, body);
    std::string attributes;
    const size_t list = av::BeginKvList(&attributes);
    av::AppendKey(&attributes, "http.status_code");
    av::AppendInt(&attributes, i % 10 == 0 ? 500 : 200);
    av::AppendKey(&attributes, "user.id");
    av::AppendString(&attributes, "user-" + std::to_string(i % 50));
    av::AppendKey(&attributes, "duration_ms");
    av::AppendDouble(&attributes, i * 0.25);
    av::AppendKey(&attributes, "order.ref");  // distinct ids with a prefix: stored as text templates
    av::AppendString(&attributes, "ORD-" + std::to_string(10000000 + i * 7919 % 90000000));
    av::EndList(&attributes, list, 4);
    b.SetBytes(logs_col::kLogAttributes, attributes);
    b.FinishRow();
  }
  return b;
}

}  // namespace otelstack::test

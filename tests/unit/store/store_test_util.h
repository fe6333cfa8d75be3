// Helpers shared by the store engine tests (store_test.cc, snapshot_test.cc).
//
// The store never interprets WAL payloads; these tests use a trivial text
// format instead of OTLP so they do not depend on otlp/: a payload is lines
// "<time_ns> <text>\n", and each line becomes one row whose time column is
// <time_ns> and whose "name" column is <text> (logs: Body, traces: SpanName,
// metrics: MetricName). Row texts are unique, so a row is identified by its
// text.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/part_reader.h"
#include "store/snapshot.h"
#include "store/store.h"
#include "store/wal_entry.h"
#include "test_util/run_and_crash.h"
#include "test_util/temp_dir.h"

namespace otelstack::store_test {

inline constexpr uint64_t kNanosPerSecond = 1'000'000'000ull;
inline constexpr uint64_t kNanosPerDay = 86'400ull * kNanosPerSecond;
// 2024-01-01T00:00:00Z
inline constexpr uint64_t kDay0 = 1'704'067'200ull * kNanosPerSecond;

inline size_t NameColumn(Signal signal) {
  switch (signal) {
    case Signal::kLogs:
      return logs_col::kBody;
    case Signal::kTraces:
      return traces_col::kSpanName;
    case Signal::kMetrics:
      return metrics_col::kMetricName;
  }
  return 0;
}

using Line = std::pair<uint64_t, std::string>;  // time, text

inline std::string MakePayload(const std::vector<Line>& lines) {
  std::string payload;
  for (const auto& [time, text] : lines) payload += std::to_string(time) + " " + text + "\n";
  return payload;
}

inline Status DecodeTestPayload(const WalEntry& entry, std::shared_ptr<const RowBatch>* out) {
  auto batch = std::make_shared<RowBatch>(entry.signal);
  std::string_view rest = entry.payload;
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    if (end == std::string_view::npos) return Status::InvalidArgument("test payload: unterminated line");
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    size_t space = line.find(' ');
    if (space == std::string_view::npos || space == 0) return Status::InvalidArgument("test payload: no time");
    uint64_t time = 0;
    for (char c : line.substr(0, space)) {
      if (c < '0' || c > '9') return Status::InvalidArgument("test payload: bad time");
      time = time * 10 + static_cast<uint64_t>(c - '0');
    }
    batch->SetU64(kTimeColumn, time);
    batch->SetBytes(NameColumn(entry.signal), line.substr(space + 1));
    batch->FinishRow();
  }
  *out = std::move(batch);
  return Status::OK();
}

// Appends one request of `lines` and returns the status `done` reported.
// Fails the test if `done` is not called exactly once within 30 s.
inline Status AppendAndWait(Store* store, const std::vector<Line>& lines, Signal signal = Signal::kLogs) {
  std::string payload = MakePayload(lines);
  WalEntry entry;
  entry.signal = signal;
  entry.payload = payload;
  std::shared_ptr<const RowBatch> batch;
  Status s = DecodeTestPayload(entry, &batch);
  if (!s.ok()) return s;
  auto promise = std::make_shared<std::promise<Status>>();
  auto calls = std::make_shared<std::atomic<int>>(0);
  std::future<Status> result = promise->get_future();
  store->Append(entry, batch, [promise, calls](const Status& st) {
    if (calls->fetch_add(1) == 0) promise->set_value(st);
  });
  if (result.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    ADD_FAILURE() << "done was not called within 30 s";
    return Status::Internal("timeout");
  }
  Status st = result.get();
  EXPECT_EQ(calls->load(), 1) << "done called more than once";
  return st;
}

inline StoreOptions TestOptions(const std::string& dir) {
  StoreOptions options;
  options.dir = dir;
  options.decoder = DecodeTestPayload;
  options.memtable_max_age = std::chrono::seconds(3600);
  return options;
}

// Row text -> number of times it occurs.
using RowCounts = std::map<std::string, int>;

inline void CountBatch(const RowBatch& batch, RowCounts* counts) {
  for (size_t r = 0; r < batch.rows(); ++r) ++(*counts)[std::string(batch.Bytes(NameColumn(batch.signal()), r))];
}

// Every row of a snapshot (parts and unflushed WAL records).
inline Status CountSnapshot(const StoreSnapshot& snapshot, RowCounts* counts) {
  for (const auto& part : snapshot.parts) {
    RowBatch batch(part.entry.signal);
    Status s = part.reader->ReadAll(&batch);
    if (!s.ok()) return s;
    CountBatch(batch, counts);
  }
  for (const auto& batch : snapshot.unflushed) CountBatch(*batch, counts);
  return Status::OK();
}

inline Status CountDir(const std::string& dir, RowCounts* counts, std::optional<Signal> signal = std::nullopt) {
  StoreSnapshot snapshot;
  Status s = LoadSnapshot(dir, DecodeTestPayload, signal, &snapshot);
  if (!s.ok()) return s;
  return CountSnapshot(snapshot, counts);
}

// Rows of the parts the store directory's MANIFEST lists (WAL ignored).
inline Status CountParts(const std::string& dir, RowCounts* counts) {
  Manifest manifest;
  Status s = Manifest::Load(dir, &manifest);
  if (!s.ok()) return s;
  for (const PartEntry& p : manifest.parts) {
    std::unique_ptr<PartReader> reader;
    s = PartReader::Open(dir + "/" + p.RelativePath(), &reader);
    if (!s.ok()) return s;
    RowBatch batch(p.signal);
    s = reader->ReadAll(&batch);
    if (!s.ok()) return s;
    CountBatch(batch, counts);
  }
  return Status::OK();
}

// Asserts that `counts` holds exactly the rows of `expected`, each once.
inline void ExpectExactlyOnce(const RowCounts& counts, const std::vector<std::string>& expected) {
  RowCounts want;
  for (const auto& text : expected) ++want[text];
  size_t missing = 0, duplicated = 0, unexpected = 0;
  for (const auto& [text, n] : want) {
    auto it = counts.find(text);
    if (it == counts.end()) {
      if (++missing <= 5) ADD_FAILURE() << "missing row " << text;
    } else if (it->second != n) {
      if (++duplicated <= 5) ADD_FAILURE() << "row " << text << " present " << it->second << " times";
    }
  }
  for (const auto& [text, n] : counts) {
    if (!want.count(text) && ++unexpected <= 5) ADD_FAILURE() << "unexpected row " << text;
  }
  EXPECT_EQ(missing, 0u);
  EXPECT_EQ(duplicated, 0u);
  EXPECT_EQ(unexpected, 0u);
}

using test::TempDir;

// Polls `condition` every 10 ms until it holds or `timeout` passes.
template <typename Condition>
bool WaitFor(Condition condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

using test::RunAndCrash;

}  // namespace otelstack::store_test

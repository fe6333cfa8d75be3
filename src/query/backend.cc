#include "query/backend.h"

#include "query/clickhouse/engine.h"

namespace otelstack::query {

namespace {

class EmbeddedBackend : public QueryBackend {
 public:
  explicit EmbeddedBackend(StoreSnapshot snapshot) : snapshot_(std::move(snapshot)) {}
  Status Search(const SearchRequest& request, const std::function<void(const RowBatch&, size_t)>& emit,
                ScanStats* stats) const override {
    return query::Search(snapshot_, request, emit, stats);
  }
  Status Chart(const ChartRequest& request, ChartResult* out) const override {
    return query::Chart(snapshot_, request, out);
  }
  Status Facets(const FacetsRequest& request, std::vector<Facet>* out, ScanStats* stats) const override {
    return query::Facets(snapshot_, request, out, stats);
  }
  Status AssembleTrace(std::string_view raw_trace_id, const QueryLimits& limits, TraceResult* out) const override {
    return query::AssembleTrace(snapshot_, raw_trace_id, limits, out);
  }

 private:
  StoreSnapshot snapshot_;
};

class ClickHouseBackend : public QueryBackend {
 public:
  ClickHouseBackend(std::unique_ptr<clickhouse::Client> client, ClickHouseTables tables, bool cancel_on_close)
      : client_(std::move(client)), tables_(std::move(tables)), cancel_on_close_(cancel_on_close) {}

  Status Search(const SearchRequest& request, const std::function<void(const RowBatch&, size_t)>& emit,
                ScanStats* stats) const override {
    ch::ClickHouseSource source;
    OTELSTACK_RETURN_IF_ERROR(SourceFor(request.signal, &source));
    return ch::Search(source, request, emit, stats);
  }
  Status Chart(const ChartRequest& request, ChartResult* out) const override {
    ch::ClickHouseSource source;
    OTELSTACK_RETURN_IF_ERROR(SourceFor(request.signal, &source));
    return ch::Chart(source, request, out);
  }
  Status Facets(const FacetsRequest& request, std::vector<Facet>* out, ScanStats* stats) const override {
    ch::ClickHouseSource source;
    OTELSTACK_RETURN_IF_ERROR(SourceFor(request.signal, &source));
    return ch::Facets(source, request, out, stats);
  }
  Status AssembleTrace(std::string_view raw_trace_id, const QueryLimits& limits, TraceResult* out) const override {
    ch::ClickHouseSource traces, logs{client_.get(), tables_.logs.get(), cancel_on_close_};
    OTELSTACK_RETURN_IF_ERROR(SourceFor(Signal::kTraces, &traces));
    return ch::AssembleTrace(traces, logs, raw_trace_id, limits, out);
  }

 private:
  Status SourceFor(Signal signal, ch::ClickHouseSource* out) const {
    const clickhouse::ReadMapping* m = signal == Signal::kLogs     ? tables_.logs.get()
                                       : signal == Signal::kTraces ? tables_.traces.get()
                                                                   : tables_.metrics.get();
    if (m == nullptr) {
      return Status::FailedPrecondition("no ClickHouse table is mapped for " + std::string(SignalName(signal)));
    }
    *out = ch::ClickHouseSource{client_.get(), m, cancel_on_close_};
    return Status::OK();
  }

  std::unique_ptr<clickhouse::Client> client_;
  ClickHouseTables tables_;
  bool cancel_on_close_;
};

}  // namespace

std::unique_ptr<QueryBackend> MakeEmbeddedBackend(StoreSnapshot snapshot) {
  return std::make_unique<EmbeddedBackend>(std::move(snapshot));
}

std::unique_ptr<QueryBackend> MakeClickHouseBackend(std::unique_ptr<clickhouse::Client> client, ClickHouseTables tables,
                                                    bool cancel_on_close) {
  return std::make_unique<ClickHouseBackend>(std::move(client), std::move(tables), cancel_on_close);
}

StatusOr<std::unique_ptr<QueryBackend>> ConnectClickHouseBackend(
    const clickhouse::ConnectionOptions& connection, clickhouse::SchemaOptions schema,
    const std::map<Signal, clickhouse::ColumnMapping>& mappings) {
  auto client = std::make_unique<clickhouse::Client>(connection);
  auto version_text = client->Version();
  if (!version_text.ok()) return version_text.status().WithContext("ClickHouse " + UrlToString(connection.url));
  auto version = clickhouse::ServerVersion::Parse(*version_text);
  if (!version.ok()) return version.status();
  clickhouse::ServerFeatures features = clickhouse::FeaturesOf(*version);
  schema.layout = features.modern_schema() ? clickhouse::Layout::kModern : clickhouse::Layout::kCompat;
  // Tables written by others (e.g. the OTel collector) may lack some of our
  // columns; the mappings then read those as zero values.
  auto columns = clickhouse::DescribeTables(*client, schema);
  if (!columns.ok()) return columns.status();
  ClickHouseTables tables;
  for (Signal signal : {Signal::kLogs, Signal::kTraces, Signal::kMetrics}) {
    std::unique_ptr<clickhouse::ReadMapping>& m = signal == Signal::kLogs     ? tables.logs
                                                  : signal == Signal::kTraces ? tables.traces
                                                                              : tables.metrics;
    auto mapping = mappings.find(signal);
    if (mapping == mappings.end()) {
      m = clickhouse::MakeReadMapping(signal, schema, &*columns);
      continue;
    }
    auto mapped = clickhouse::MakeMappedReadMapping(signal, schema, &*columns, mapping->second);
    if (!mapped.ok()) return mapped.status();
    m = std::move(*mapped);
  }
  return MakeClickHouseBackend(std::move(client), std::move(tables), features.cancel_on_close);
}

}  // namespace otelstack::query

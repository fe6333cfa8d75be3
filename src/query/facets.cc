#include "query/facets.h"

#include <algorithm>

namespace otelstack::query {

Status Facets(const StoreSnapshot& snapshot, const FacetsRequest& req, std::vector<Facet>* out, ScanStats* stats) {
  out->clear();
  ChartRequest chart;
  chart.signal = req.signal;
  chart.from_ns = req.from_ns;
  chart.to_ns = req.to_ns;
  chart.query = req.query;
  chart.limits = req.limits;
  chart.threads = req.threads;
  chart.top_k = 0;
  AggSpec count;
  count.function = AggFunction::kCount;
  count.name = "count";
  chart.aggregates = {count};
  for (const ast::Field& field : req.fields) {
    chart.group_by = {field};
    ChartResult result;
    OTELSTACK_RETURN_IF_ERROR(Chart(snapshot, chart, &result));
    if (stats != nullptr) {
      stats->rows_read += result.stats.rows_read;
      stats->granules_total += result.stats.granules_total;
      stats->granules_skipped += result.stats.granules_skipped;
      stats->granules_read += result.stats.granules_read;
      if (result.stats.partial && !stats->partial) {
        stats->partial = true;
        stats->partial_reason = result.stats.partial_reason;
      }
    }
    Facet facet;
    facet.field = result.columns.at(0);
    for (ChartRow& row : result.rows) {
      const Cell& value = row.group.at(0);
      if (value.kind == Cell::Kind::kNull || (value.kind == Cell::Kind::kString && value.s.empty())) continue;
      facet.values.push_back({value, static_cast<uint64_t>(row.values.at(0).i)});
    }
    std::stable_sort(facet.values.begin(), facet.values.end(),
                     [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
    if (facet.values.size() > req.limit) facet.values.resize(req.limit);
    out->push_back(std::move(facet));
  }
  return Status::OK();
}

}  // namespace otelstack::query

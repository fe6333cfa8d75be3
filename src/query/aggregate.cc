#include "query/aggregate.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "common/varint.h"
#include "query/execution/filter.h"
#include "query/execution/row_value.h"
#include "query/execution/scan.h"
#include "query/metric_series.h"
#include "query/planner/binder.h"

namespace otelstack::query {

namespace {

// ---- Aggregate states -------------------------------------------------------

// A number that stays exact while every input is an integer.
struct Number {
  bool is_int = true;
  int64_t i = 0;
  double d = 0;
  static Number Of(const RowValue& v) {
    return v.kind == RowValue::Kind::kInt ? Number{true, v.i, double(v.i)} : Number{false, 0, v.d};
  }
  bool Less(const Number& o) const { return is_int && o.is_int ? i < o.i : d < o.d; }
};

struct AggState {
  uint64_t count = 0;  // values seen (rows for count)
  Number sum;          // sum: exact while integer and not overflowing
  bool has_extreme = false;
  Number min, max;
  std::vector<double> values;  // quantile
  bool values_all_int = true;
  std::unordered_set<uint64_t> distinct;
  HistogramBuckets histogram;  // histogram_quantile

  void AddNumber(AggFunction fn, const Number& n) {
    ++count;
    switch (fn) {
      case AggFunction::kSum:
      case AggFunction::kAvg:
        sum.d += n.d;
        if (sum.is_int && n.is_int && !__builtin_add_overflow(sum.i, n.i, &sum.i)) break;
        sum.is_int = false;
        break;
      case AggFunction::kMin:
      case AggFunction::kMax:
        if (!has_extreme || n.Less(min)) min = n;
        if (!has_extreme || max.Less(n)) max = n;
        has_extreme = true;
        break;
      case AggFunction::kQuantile:
        values.push_back(n.d);
        values_all_int = values_all_int && n.is_int;
        break;
      default:
        break;
    }
  }

  void Merge(AggFunction fn, const AggState& o) {
    count += o.count;
    sum.d += o.sum.d;
    if (sum.is_int && o.sum.is_int && !__builtin_add_overflow(sum.i, o.sum.i, &sum.i)) {
    } else {
      sum.is_int = false;
    }
    if (o.has_extreme) {
      if (!has_extreme || o.min.Less(min)) min = o.min;
      if (!has_extreme || max.Less(o.max)) max = o.max;
      has_extreme = true;
    }
    values.insert(values.end(), o.values.begin(), o.values.end());
    values_all_int = values_all_int && o.values_all_int;
    distinct.insert(o.distinct.begin(), o.distinct.end());
    for (const auto& [upper, n] : o.histogram) histogram[upper] += n;
  }

  // `rate_seconds`: the time a rate is averaged over.
  Cell Final(const AggSpec& spec, double rate_seconds) {
    Cell c;
    auto number = [&c](const Number& n) {
      if (n.is_int) {
        c.kind = Cell::Kind::kInt;
        c.i = n.i;
      } else {
        c.kind = Cell::Kind::kDouble;
        c.d = n.d;
      }
    };
    switch (spec.function) {
      case AggFunction::kCount:
        c.kind = Cell::Kind::kInt;
        c.i = static_cast<int64_t>(count);
        break;
      case AggFunction::kCountDistinct:
        c.kind = Cell::Kind::kInt;
        c.i = static_cast<int64_t>(distinct.size());
        break;
      case AggFunction::kSum:
        if (count > 0) number(sum);
        break;
      case AggFunction::kAvg:
        if (count > 0) {
          c.kind = Cell::Kind::kDouble;
          c.d = sum.is_int ? static_cast<double>(sum.i) / static_cast<double>(count) : sum.d / count;
        }
        break;
      case AggFunction::kMin:
        if (has_extreme) number(min);
        break;
      case AggFunction::kMax:
        if (has_extreme) number(max);
        break;
      case AggFunction::kRate:
        if (count > 0 && rate_seconds > 0) {
          c.kind = Cell::Kind::kDouble;
          c.d = sum.d / rate_seconds;
        }
        break;
      case AggFunction::kHistogramQuantile: {
        double q = HistogramQuantile(histogram, spec.level);
        if (!std::isnan(q)) {
          c.kind = Cell::Kind::kDouble;
          c.d = q;
        }
        break;
      }
      case AggFunction::kQuantile: {
        if (values.empty()) break;
        size_t n = values.size();
        size_t at = spec.level < 1 ? static_cast<size_t>(spec.level * n) : n - 1;
        at = std::min(at, n - 1);
        std::nth_element(values.begin(), values.begin() + at, values.end());
        double v = values[at];
        if (values_all_int) {
          c.kind = Cell::Kind::kInt;
          c.i = static_cast<int64_t>(v);
        } else {
          c.kind = Cell::Kind::kDouble;
          c.d = v;
        }
        break;
      }
    }
    return c;
  }
};

bool CellsLess(const std::vector<Cell>& a, const std::vector<Cell>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (CellLess(a[i], b[i])) return true;
    if (CellLess(b[i], a[i])) return false;
  }
  return a.size() < b.size();
}

// The group value of `source` at a row (see aggregate.h).
Status GroupCell(const ValueSource& source, const RowBatch& batch, size_t row, RowValue* scratch, Cell* out) {
  OTELSTACK_RETURN_IF_ERROR(ReadRowValue(source, batch, row, scratch));
  bool numeric_column = source.kind == ValueSource::Kind::kColumn && IsFixed(source.type);
  if (numeric_column && scratch->kind == RowValue::Kind::kInt) {
    out->kind = Cell::Kind::kInt;
    out->i = scratch->i;
  } else if (numeric_column && scratch->kind == RowValue::Kind::kDouble) {
    out->kind = Cell::Kind::kDouble;
    out->d = scratch->d;
  } else {
    out->kind = Cell::Kind::kString;
    out->s.clear();
    AppendValueText(*scratch, &out->s);
  }
  return Status::OK();
}

void AppendCellKey(const Cell& c, std::string* key) {
  key->push_back(static_cast<char>(c.kind));
  switch (c.kind) {
    case Cell::Kind::kNull:
      break;
    case Cell::Kind::kInt:
      key->append(reinterpret_cast<const char*>(&c.i), 8);
      break;
    case Cell::Kind::kDouble:
      key->append(reinterpret_cast<const char*>(&c.d), 8);
      break;
    case Cell::Kind::kString:
      PutVarint64(key, c.s.size());
      key->append(c.s);
      break;
  }
}

struct Group {
  std::optional<uint64_t> bucket;
  std::string group_key;  // the key without the bucket
  std::vector<Cell> cells;
  std::vector<AggState> states;
};
using GroupMap = std::unordered_map<std::string, Group>;

// Points of metric series for rate and histogram_quantile, which need each
// series' points in time order across buckets: aggregate -> group key
// (without the bucket) -> series -> points.
struct SeriesPoints {
  std::vector<std::unordered_map<std::string, std::unordered_map<uint64_t, std::vector<SeriesPoint>>>> by_aggregate;
  std::unordered_map<std::string, std::vector<Cell>> group_cells;  // group key -> its cells

  void Merge(SeriesPoints&& o) {
    if (by_aggregate.size() < o.by_aggregate.size()) by_aggregate.resize(o.by_aggregate.size());
    for (size_t a = 0; a < o.by_aggregate.size(); ++a) {
      for (auto& [group, series] : o.by_aggregate[a]) {
        for (auto& [key, points] : series) {
          auto& into = by_aggregate[a][group][key];
          into.insert(into.end(), std::make_move_iterator(points.begin()), std::make_move_iterator(points.end()));
        }
      }
    }
    group_cells.merge(o.group_cells);
  }
};

bool IsSeriesFunction(AggFunction f) { return f == AggFunction::kRate || f == AggFunction::kHistogramQuantile; }

// One worker's partial aggregation.
class Aggregator {
 public:
  Aggregator(const ChartRequest& req, const std::vector<ValueSource>& groups, const std::vector<ValueSource>& args)
      : req_(req), groups_(groups), args_(args) {
    series_.by_aggregate.resize(req.aggregates.size());
  }

  Status Add(const RowBatch& batch, const std::vector<uint32_t>& rows) {
    PrepareCodeCaches(batch);
    if (ByOneCodedColumnOverFixedColumns()) return AddByCode(batch, rows);
    if (CountsByBucketOnly()) return AddCountsByBucket(batch, rows);
    for (uint32_t row : rows) {
      std::optional<uint64_t> bucket;
      if (req_.granularity_ns > 0) {
        uint64_t t = batch.Time(row);
        bucket = t - t % req_.granularity_ns;
      }
      Group* group = nullptr;
      OTELSTACK_RETURN_IF_ERROR(GroupOf(batch, row, bucket, &group));
      for (size_t a = 0; a < req_.aggregates.size(); ++a) {
        if (IsSeriesFunction(req_.aggregates[a].function)) {
          OTELSTACK_RETURN_IF_ERROR(AddSeriesPoint(a, batch, row, *group));
        } else {
          OTELSTACK_RETURN_IF_ERROR(AddValue(a, batch, row, &value_, &group->states[a]));
        }
      }
    }
    return Status::OK();
  }

  GroupMap& map() { return map_; }
  SeriesPoints& series() { return series_; }

 private:
  // The common "by one low-cardinality column" charts (count of logs by
  // service, p99 of span durations by service): one group-by column in
  // dictionary form, no time buckets, and only counts and numeric aggregates
  // (sum, avg, min, max, quantiles) of numeric columns.
  bool ByOneCodedColumnOverFixedColumns() const {
    if (req_.granularity_ns > 0 || groups_.size() != 1 || caches_[0].codes.empty()) return false;
    for (size_t a = 0; a < req_.aggregates.size(); ++a) {
      switch (req_.aggregates[a].function) {
        case AggFunction::kCount:
          break;
        case AggFunction::kSum:
        case AggFunction::kAvg:
        case AggFunction::kMin:
        case AggFunction::kMax:
        case AggFunction::kQuantile:
          if (args_[a].kind != ValueSource::Kind::kColumn || !IsFixed(args_[a].type)) return false;
          break;
        default:
          return false;
      }
    }
    return true;
  }

  // Count histograms (count by minute): time buckets, no group-by fields,
  // only counts.
  bool CountsByBucketOnly() const {
    if (req_.granularity_ns == 0 || !groups_.empty()) return false;
    for (const AggSpec& spec : req_.aggregates) {
      if (spec.function != AggFunction::kCount) return false;
    }
    return true;
  }

  // Counts runs of consecutive rows in the same bucket (rows of a part
  // granule are in time order, so a granule holds a few long runs) and
  // finds each run's group once.
  Status AddCountsByBucket(const RowBatch& batch, const std::vector<uint32_t>& rows) {
    const uint64_t width = req_.granularity_ns;
    size_t i = 0;
    while (i < rows.size()) {
      const uint64_t t = batch.Time(rows[i]);
      const uint64_t bucket = t - t % width;
      const uint64_t last = bucket > UINT64_MAX - (width - 1) ? UINT64_MAX : bucket + (width - 1);
      size_t j = i + 1;
      while (j < rows.size()) {
        const uint64_t tj = batch.Time(rows[j]);
        if (tj < bucket || tj > last) break;
        ++j;
      }
      Group* group = nullptr;
      OTELSTACK_RETURN_IF_ERROR(GroupOf(batch, rows[i], bucket, &group));
      for (AggState& state : group->states) state.count += j - i;
      i = j;
    }
    return Status::OK();
  }

  // Counts the rows of each code first (a tight loop over the codes) and
  // finds each code's group once, through a row holding that code; then adds
  // each aggregate's values in a loop over the rows that reads the column's
  // slots directly. Same states as AddValue: integer columns give exact
  // integers, Float64 columns doubles with NaN skipped.
  Status AddByCode(const RowBatch& batch, const std::vector<uint32_t>& rows) {
    const CodeCache& cache = caches_[0];
    code_counts_.assign(cache.code_rows.size(), 0);
    code_groups_.assign(cache.code_rows.size(), nullptr);
    for (uint32_t row : rows) ++code_counts_[cache.codes[row]];
    for (size_t code = 0; code < code_counts_.size(); ++code) {
      if (code_counts_[code] == 0) continue;
      OTELSTACK_RETURN_IF_ERROR(GroupOf(batch, cache.code_rows[code], std::nullopt, &code_groups_[code]));
    }
    for (size_t a = 0; a < req_.aggregates.size(); ++a) {
      const AggFunction fn = req_.aggregates[a].function;
      if (fn == AggFunction::kCount) {
        for (size_t code = 0; code < code_counts_.size(); ++code) {
          if (code_counts_[code] != 0) code_groups_[code]->states[a].count += code_counts_[code];
        }
        continue;
      }
      const std::span<const uint64_t> slots = batch.FixedColumn(args_[a].column);
      const bool doubles = args_[a].type == ColumnType::kFloat64;
      if (fn == AggFunction::kQuantile) {
        for (uint32_t row : rows) {
          AggState& state = code_groups_[cache.codes[row]]->states[a];
          if (doubles) {
            const double d = std::bit_cast<double>(slots[row]);
            if (std::isnan(d)) continue;
            state.values.push_back(d);
            state.values_all_int = false;
          } else {
            state.values.push_back(static_cast<double>(static_cast<int64_t>(slots[row])));
          }
          ++state.count;
        }
        continue;
      }
      for (uint32_t row : rows) {
        AggState& state = code_groups_[cache.codes[row]]->states[a];
        if (doubles) {
          const double d = std::bit_cast<double>(slots[row]);
          if (!std::isnan(d)) state.AddNumber(fn, Number{false, 0, d});
        } else {
          const int64_t i = static_cast<int64_t>(slots[row]);
          state.AddNumber(fn, Number{true, i, static_cast<double>(i)});
        }
      }
    }
    return Status::OK();
  }

  Status AddValue(size_t a, const RowBatch& batch, size_t row, RowValue* v, AggState* state) {
    const AggSpec& spec = req_.aggregates[a];
    if (spec.function == AggFunction::kCount) {
      ++state->count;
      return Status::OK();
    }
    OTELSTACK_RETURN_IF_ERROR(ReadRowValue(args_[a], batch, row, v));
    if (spec.function == AggFunction::kCountDistinct) {
      if (v->kind == RowValue::Kind::kNull) return Status::OK();
      text_.clear();
      AppendValueText(*v, &text_);
      state->distinct.insert(XXH3_64bits(text_.data(), text_.size()));
      return Status::OK();
    }
    RowValue number;
    if (v->is_number()) {
      number = *v;
    } else if (v->kind == RowValue::Kind::kString) {
      auto parsed = ParseNumber(v->str());
      if (!parsed) return Status::OK();
      number = *parsed;
    } else {
      return Status::OK();
    }
    if (number.kind == RowValue::Kind::kDouble && std::isnan(number.d)) return Status::OK();
    state->AddNumber(spec.function, Number::Of(number));
    return Status::OK();
  }

  Status AddSeriesPoint(size_t a, const RowBatch& batch, size_t row, const Group& group) {
    if (batch.signal() != Signal::kMetrics) return Status::OK();
    SeriesPoint point;
    if (req_.aggregates[a].function == AggFunction::kRate) {
      if (!ReadCounterPoint(batch, row, &point)) return Status::OK();
    } else {
      bool is_histogram = false;
      OTELSTACK_RETURN_IF_ERROR(ReadHistogramPoint(batch, row, &point, &is_histogram));
      if (!is_histogram) return Status::OK();
    }
    series_.group_cells.try_emplace(group.group_key, group.cells);
    series_.by_aggregate[a][group.group_key][SeriesKeyOf(batch, row)].push_back(std::move(point));
    return Status::OK();
  }

  // The group of `row` (created on first sight). Fast paths, in order: one
  // group-by column with codes remembers the group of each code for the
  // current bucket; otherwise consecutive rows with the same key (rows come
  // in time order) reuse the last group; otherwise the key is hashed.
  Status GroupOf(const RowBatch& batch, size_t row, std::optional<uint64_t> bucket, Group** out) {
    if (groups_.empty() && last_group_ != nullptr && last_group_->bucket == bucket) {  // only buckets
      *out = last_group_;
      return Status::OK();
    }
    Group** by_code = nullptr;
    if (groups_.size() == 1 && !caches_[0].codes.empty()) {
      if (!by_code_valid_ || by_code_bucket_ != bucket) {
        by_code_.assign(caches_[0].known.size(), nullptr);
        by_code_bucket_ = bucket;
        by_code_valid_ = true;
      }
      by_code = &by_code_[caches_[0].codes[row]];
      if (*by_code != nullptr) {
        *out = *by_code;
        return Status::OK();
      }
    }
    key_.clear();
    if (bucket) key_.append(reinterpret_cast<const char*>(&*bucket), 8);
    const size_t group_key_start = key_.size();
    row_cells_.resize(groups_.size());
    cells_.resize(groups_.size());
    for (size_t g = 0; g < groups_.size(); ++g) {
      CodeCache& cache = caches_[g];
      if (!cache.codes.empty()) {  // once per distinct value of the column
        uint32_t code = cache.codes[row];
        if (!cache.known[code]) {
          OTELSTACK_RETURN_IF_ERROR(GroupCell(groups_[g], batch, row, &value_, &cache.cells[code]));
          AppendCellKey(cache.cells[code], &cache.key_parts[code]);
          cache.known[code] = true;
        }
        key_ += cache.key_parts[code];
        row_cells_[g] = &cache.cells[code];
      } else {
        OTELSTACK_RETURN_IF_ERROR(GroupCell(groups_[g], batch, row, &value_, &cells_[g]));
        AppendCellKey(cells_[g], &key_);
        row_cells_[g] = &cells_[g];
      }
    }
    if (last_group_ == nullptr || key_ != last_key_) {
      auto [it, inserted] = map_.try_emplace(key_);
      if (inserted) {
        Group& g = it->second;
        g.bucket = bucket;
        g.group_key = key_.substr(group_key_start);
        for (const Cell* c : row_cells_) g.cells.push_back(*c);
        g.states.resize(req_.aggregates.size());
      }
      last_group_ = &it->second;  // stable: unordered_map nodes do not move
      last_key_ = key_;
    }
    if (by_code != nullptr) *by_code = last_group_;
    *out = last_group_;
    return Status::OK();
  }

  // A group-by field whose value depends on one column that has dictionary
  // codes in the current batch: its cell and key bytes per code.
  struct CodeCache {
    std::span<const uint32_t> codes;      // empty: no codes, read every row
    std::span<const uint32_t> code_rows;  // the first row of each code
    std::vector<bool> known;
    std::vector<Cell> cells;
    std::vector<std::string> key_parts;
  };

  void PrepareCodeCaches(const RowBatch& batch) {
    caches_.resize(groups_.size());
    by_code_.clear();
    by_code_valid_ = false;
    for (size_t g = 0; g < groups_.size(); ++g) {
      const ValueSource& source = groups_[g];
      CodeCache& cache = caches_[g];
      cache.codes = {};
      int column = source.kind == ValueSource::Kind::kColumn ? static_cast<int>(source.column)
                   : source.maps.size() == 1                 ? static_cast<int>(source.maps[0])
                                                             : -1;
      if (column < 0 || IsFixed(SchemaOf(batch.signal())[column].type)) continue;
      cache.codes = batch.Codes(column);
      cache.code_rows = batch.CodeRows(column);
      size_t distinct = cache.code_rows.size();
      cache.known.assign(distinct, false);
      cache.cells.assign(distinct, Cell());
      cache.key_parts.assign(distinct, std::string());
    }
  }

  const ChartRequest& req_;
  const std::vector<ValueSource>& groups_;
  const std::vector<ValueSource>& args_;
  std::vector<CodeCache> caches_;
  std::vector<Group*> by_code_;  // one group-by column with codes: group per code, for by_code_bucket_
  bool by_code_valid_ = false;
  std::optional<uint64_t> by_code_bucket_;
  GroupMap map_;
  Group* last_group_ = nullptr;
  std::string last_key_;
  // Scratch reused across rows.
  std::string key_;
  std::vector<Cell> cells_;             // group values of columns without codes
  std::vector<const Cell*> row_cells_;  // the current row's group values
  RowValue value_;
  SeriesPoints series_;
  std::string text_;
  std::vector<uint64_t> code_counts_;  // AddByCode, per code: rows
  std::vector<Group*> code_groups_;    // AddByCode, per code: its group (when it has rows)
};

// Adds the increases of every collected series to the (bucket, group) where
// each increase happened.
void AddSeriesIncreases(const ChartRequest& req, SeriesPoints* series, GroupMap* map) {
  auto state_at = [&](uint64_t time, const std::string& group_key, size_t a) -> AggState& {
    std::string key;
    std::optional<uint64_t> bucket;
    if (req.granularity_ns > 0) {
      bucket = time - time % req.granularity_ns;
      key.append(reinterpret_cast<const char*>(&*bucket), 8);
    }
    key += group_key;
    auto [it, inserted] = map->try_emplace(key);
    if (inserted) {
      it->second.bucket = bucket;
      it->second.cells = series->group_cells[group_key];
      it->second.states.resize(req.aggregates.size());
    }
    return it->second.states[a];
  };
  for (size_t a = 0; a < series->by_aggregate.size(); ++a) {
    for (auto& [group_key, by_series] : series->by_aggregate[a]) {
      for (auto& [series_key, points] : by_series) {
        if (req.aggregates[a].function == AggFunction::kRate) {
          ForEachCounterIncrease(&points, [&](uint64_t t, double increase) {
            AggState& st = state_at(t, group_key, a);
            ++st.count;
            st.sum.is_int = false;
            st.sum.d += increase;
          });
        } else {
          ForEachHistogramIncrease(
              &points, [&](uint64_t t, const std::vector<double>& bounds, const std::vector<double>& counts) {
                AddHistogram(bounds, counts, &state_at(t, group_key, a).histogram);
              });
        }
      }
    }
  }
}

void MergeInto(const ChartRequest& req, Group& into, const Group& from) {
  for (size_t a = 0; a < req.aggregates.size(); ++a) into.states[a].Merge(req.aggregates[a].function, from.states[a]);
}

// Folds groups outside the top_k (by their first aggregate over all buckets)
// into "other".
void ApplyTopK(const ChartRequest& req, GroupMap* map, double rate_seconds) {
  if (req.top_k == 0 || req.group_by.empty()) return;
  std::map<std::vector<Cell>, Group, decltype(&CellsLess)> totals(&CellsLess);
  for (auto& [key, group] : *map) {
    auto [it, inserted] = totals.try_emplace(group.cells);
    if (inserted) it->second.states.resize(req.aggregates.size());
    MergeInto(req, it->second, group);
  }
  if (totals.size() <= req.top_k) return;
  struct Ranked {
    std::vector<Cell> cells;
    Cell score;
  };
  std::vector<Ranked> ranked;
  for (auto& [cells, group] : totals) ranked.push_back({cells, group.states[0].Final(req.aggregates[0], rate_seconds)});
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (CellLess(b.score, a.score)) return true;  // larger first; null last
    if (CellLess(a.score, b.score)) return false;
    return CellsLess(a.cells, b.cells);
  });
  std::set<std::vector<Cell>, decltype(&CellsLess)> keep(&CellsLess);
  for (size_t i = 0; i < req.top_k; ++i) keep.insert(ranked[i].cells);

  GroupMap folded;
  std::vector<Cell> other(req.group_by.size());
  for (auto& [key, group] : *map) {
    if (keep.count(group.cells)) {
      folded.emplace(key, std::move(group));
      continue;
    }
    std::string other_key;
    if (group.bucket) other_key.append(reinterpret_cast<const char*>(&*group.bucket), 8);
    other_key +=
        "\xff"
        "other";
    auto [it, inserted] = folded.try_emplace(other_key);
    if (inserted) {
      it->second.bucket = group.bucket;
      it->second.cells = other;
      it->second.states.resize(req.aggregates.size());
    }
    MergeInto(req, it->second, group);
  }
  map->swap(folded);
}

// The unit of a value source's values, when the schema knows one.
std::string UnitOf(Signal signal, const ValueSource& source) {
  if (signal == Signal::kTraces && source.kind == ValueSource::Kind::kColumn &&
      source.column == traces_col::kDuration) {
    return "ns";
  }
  return "";
}

}  // namespace

void SetChartColumns(const ChartRequest& req, const std::vector<ValueSource>& groups,
                     const std::vector<ValueSource>& args, ChartResult* out) {
  if (req.granularity_ns > 0) {
    out->columns.push_back("bucket");
    out->units.push_back("");
  }
  for (const ValueSource& g : groups) {
    out->columns.push_back(g.display);
    out->units.push_back(UnitOf(req.signal, g));
  }
  for (size_t a = 0; a < req.aggregates.size(); ++a) {
    out->columns.push_back(req.aggregates[a].name);
    AggFunction f = req.aggregates[a].function;
    bool keeps_unit = f == AggFunction::kSum || f == AggFunction::kAvg || f == AggFunction::kMin ||
                      f == AggFunction::kMax || f == AggFunction::kQuantile;
    out->units.push_back(keeps_unit ? UnitOf(req.signal, args[a]) : "");
  }
}

bool CellLess(const Cell& a, const Cell& b) {
  if (a.kind == Cell::Kind::kNull || b.kind == Cell::Kind::kNull) {
    return a.kind != Cell::Kind::kNull && b.kind == Cell::Kind::kNull;
  }
  bool an = a.kind != Cell::Kind::kString, bn = b.kind != Cell::Kind::kString;
  if (an && bn) {
    if (a.kind == Cell::Kind::kInt && b.kind == Cell::Kind::kInt) return a.i < b.i;
    double x = a.kind == Cell::Kind::kInt ? double(a.i) : a.d, y = b.kind == Cell::Kind::kInt ? double(b.i) : b.d;
    return x < y;
  }
  if (an != bn) return an;  // numbers before strings
  return a.s < b.s;
}

Status ParseAggSpec(std::string_view text, AggSpec* out) {
  *out = AggSpec();
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("aggregate '" + std::string(text) + "': " + why +
                                   " (expected count, sum(F), avg(F), min(F), max(F), p50(F)..p99(F), "
                                   "quantile(P,F), count_distinct(F), rate(Value) or histogram_quantile(P))");
  };
  std::string_view t = text;
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  if (t == "count" || t == "count()") {
    out->function = AggFunction::kCount;
    out->name = "count";
    return Status::OK();
  }
  size_t open = t.find('(');
  if (open == std::string_view::npos || t.back() != ')') return bad("unknown form");
  std::string_view fn = t.substr(0, open);
  std::string_view arg = t.substr(open + 1, t.size() - open - 2);
  const std::string_view written_arg = arg;
  if (fn == "rate") {
    if (arg != "Value") return bad("rate applies to the Value of counter metrics: rate(Value)");
    out->function = AggFunction::kRate;
    out->name = "rate(Value)";
    out->field.name = "Value";
    return Status::OK();
  }
  if (fn == "histogram_quantile") {
    double p = 0;
    auto [ptr, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), p);
    if (ec != std::errc() || ptr != arg.data() + arg.size() || !(p >= 0 && p <= 1)) {
      return bad("histogram_quantile needs a level from 0 to 1, e.g. histogram_quantile(0.99)");
    }
    out->function = AggFunction::kHistogramQuantile;
    out->level = p;
    out->name = "histogram_quantile(" + std::string(arg) + ")";
    return Status::OK();
  }
  if (fn == "quantile") {
    size_t comma = arg.find(',');
    if (comma == std::string_view::npos) return bad("quantile needs a level and a field");
    std::string_view level = arg.substr(0, comma);
    double p = 0;
    auto [ptr, ec] = std::from_chars(level.data(), level.data() + level.size(), p);
    if (ec != std::errc() || ptr != level.data() + level.size() || !(p >= 0 && p <= 1)) {
      return bad("the level must be a number from 0 to 1");
    }
    out->function = AggFunction::kQuantile;
    out->level = p;
    arg = arg.substr(comma + 1);
    while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
  } else if (fn.size() >= 2 && fn[0] == 'p' && std::isdigit(static_cast<unsigned char>(fn[1]))) {
    double pct = 0;
    auto [ptr, ec] = std::from_chars(fn.data() + 1, fn.data() + fn.size(), pct);
    if (ec != std::errc() || ptr != fn.data() + fn.size() || !(pct >= 0 && pct <= 100)) {
      return bad("percentile must be p0..p100");
    }
    out->function = AggFunction::kQuantile;
    out->level = pct / 100;
  } else if (fn == "sum") {
    out->function = AggFunction::kSum;
  } else if (fn == "avg") {
    out->function = AggFunction::kAvg;
  } else if (fn == "min") {
    out->function = AggFunction::kMin;
  } else if (fn == "max") {
    out->function = AggFunction::kMax;
  } else if (fn == "count_distinct" || fn == "uniq") {
    out->function = AggFunction::kCountDistinct;
    fn = "count_distinct";
  } else {
    return bad("unknown function '" + std::string(fn) + "'");
  }
  OTELSTACK_RETURN_IF_ERROR(ParseFieldRef(arg, &out->field).WithContext("aggregate '" + std::string(text) + "'"));
  out->name = std::string(fn) + "(" + std::string(written_arg) + ")";
  return Status::OK();
}

uint64_t AutoGranularity(uint64_t from_ns, uint64_t to_ns, uint64_t max_buckets) {
  constexpr uint64_t kSecond = 1'000'000'000ULL;
  static constexpr uint64_t kLadder[] = {1,    5,    10,   15,    30,    60,    300,   600,   900,
                                         1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800};
  uint64_t span = to_ns > from_ns ? to_ns - from_ns : 0;
  for (uint64_t s : kLadder) {
    if (span / (s * kSecond) <= std::max<uint64_t>(max_buckets, 1)) return s * kSecond;
  }
  return kLadder[std::size(kLadder) - 1] * kSecond;
}

Status Chart(const StoreSnapshot& snapshot, const ChartRequest& req, ChartResult* out) {
  *out = ChartResult();
  if (req.aggregates.empty()) return Status::InvalidArgument("a chart needs at least one aggregate");
  // A rate is per second of its bucket, or of the whole range without buckets.
  double rate_seconds = req.granularity_ns > 0 ? static_cast<double>(req.granularity_ns) / 1e9
                                               : static_cast<double>(req.to_ns - req.from_ns) / 1e9;
  for (const AggSpec& a : req.aggregates) {
    if (IsSeriesFunction(a.function) && req.signal != Signal::kMetrics) {
      return Status::InvalidArgument(a.name + " applies to metrics (--signal metrics)");
    }
    if (a.function == AggFunction::kRate && req.granularity_ns == 0 &&
        req.to_ns == std::numeric_limits<uint64_t>::max()) {
      return Status::InvalidArgument(a.name + " needs a granularity or a bounded time range (--to)");
    }
  }
  PreparedScan prepared;
  OTELSTACK_RETURN_IF_ERROR(
      PrepareScan(req.signal, req.from_ns, req.to_ns, req.query, req.limits, req.threads, &prepared));
  ScanRequest& scan = prepared.request;
  std::vector<ValueSource> groups(req.group_by.size()), args(req.aggregates.size());
  for (size_t g = 0; g < req.group_by.size(); ++g) {
    OTELSTACK_RETURN_IF_ERROR(BindField(req.signal, req.group_by[g], &groups[g]).WithContext("group by"));
    AddSourceColumns(groups[g], &scan.extra_columns);
  }
  for (size_t a = 0; a < req.aggregates.size(); ++a) {
    if (req.aggregates[a].function == AggFunction::kCount) continue;
    if (IsSeriesFunction(req.aggregates[a].function)) {
      // The columns metric_series.h reads.
      for (size_t col : {metrics_col::kMetricName, metrics_col::kScopeName, metrics_col::kAttributes,
                         metrics_col::kResourceAttributes, metrics_col::kMetricType, metrics_col::kStartTimeUnix,
                         metrics_col::kAggregationTemporality, metrics_col::kValue, metrics_col::kExplicitBounds,
                         metrics_col::kBucketCounts}) {
        scan.extra_columns.push_back(col);
      }
      continue;
    }
    OTELSTACK_RETURN_IF_ERROR(
        BindField(req.signal, req.aggregates[a].field, &args[a]).WithContext("aggregate " + req.aggregates[a].name));
    AddSourceColumns(args[a], &scan.extra_columns);
  }

  // Time is read for buckets and by the metric series (points in time order).
  scan.visitor_reads_time =
      req.granularity_ns > 0 || std::any_of(req.aggregates.begin(), req.aggregates.end(),
                                            [](const AggSpec& a) { return IsSeriesFunction(a.function); });

  std::mutex mu;
  std::unordered_map<std::thread::id, std::unique_ptr<Aggregator>> partials;
  OTELSTACK_RETURN_IF_ERROR(Scan(
      snapshot, scan, nullptr,
      [&](const ScanUnit&, const std::shared_ptr<const RowBatch>& batch, const std::vector<uint32_t>& rows) {
        Aggregator* mine;
        {
          std::lock_guard<std::mutex> lock(mu);
          auto& slot = partials[std::this_thread::get_id()];
          if (!slot) slot = std::make_unique<Aggregator>(req, groups, args);
          mine = slot.get();
        }
        return mine->Add(*batch, rows);
      },
      &out->stats));

  GroupMap merged;
  SeriesPoints series;
  for (auto& [thread, partial] : partials) {
    series.Merge(std::move(partial->series()));
    for (auto& [key, group] : partial->map()) {
      auto [it, inserted] = merged.try_emplace(key);
      if (inserted) {
        it->second = std::move(group);
      } else {
        MergeInto(req, it->second, group);
      }
    }
  }
  AddSeriesIncreases(req, &series, &merged);
  ApplyTopK(req, &merged, rate_seconds);
  if (merged.empty() && req.group_by.empty() && req.granularity_ns == 0) {
    merged[""].states.resize(req.aggregates.size());  // an ungrouped aggregate always has its one row
  }

  SetChartColumns(req, groups, args, out);
  for (auto& [key, group] : merged) {
    ChartRow row;
    row.bucket = group.bucket;
    row.group = std::move(group.cells);
    for (size_t a = 0; a < req.aggregates.size(); ++a)
      row.values.push_back(group.states[a].Final(req.aggregates[a], rate_seconds));
    out->rows.push_back(std::move(row));
  }
  std::sort(out->rows.begin(), out->rows.end(), [](const ChartRow& a, const ChartRow& b) {
    if (a.bucket != b.bucket) return a.bucket < b.bucket;
    return CellsLess(a.group, b.group);
  });
  return Status::OK();
}

}  // namespace otelstack::query

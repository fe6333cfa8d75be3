// Charts and facets on ClickHouse (engine.h): the semantics of aggregate.h,
// computed by GROUP BY statements whose aggregate columns carry enough to
// rebuild the embedded engine's typed cells (e.g. a sum is an integer while
// every value is one, so a sum is returned both exactly and as a double,
// with the count of non-integer values).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>

#include "query/clickhouse/engine.h"
#include "query/clickhouse/sql_filter.h"
#include "query/clickhouse/statement.h"
#include "query/planner/binder.h"

namespace otelstack::query::ch {

namespace {

// ---- Ordering of cells (aggregate.cc) ----------------------------------------

bool CellsLess(const std::vector<Cell>& a, const std::vector<Cell>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (CellLess(a[i], b[i])) return true;
    if (CellLess(b[i], a[i])) return false;
  }
  return a.size() < b.size();
}

bool IsSeriesFunction(AggFunction f) { return f == AggFunction::kRate || f == AggFunction::kHistogramQuantile; }

// ---- Group values ---------------------------------------------------------------

// A group-by field as SQL: numbers for numeric columns, else the text form
// (a missing attribute is "").
struct GroupSql {
  SqlScalar::Kind kind = SqlScalar::Kind::kString;  // kInt, kDouble or kString
  std::string expr;
};

// Float64 values travel as text (toString is round-trip exact and keeps
// inf and nan, which JSON would turn into null).
std::string Output(SqlScalar::Kind kind, const std::string& expr) {
  return kind == SqlScalar::Kind::kDouble ? "toString(" + expr + ")" : expr;
}

GroupSql GroupOf(const ValueSource& source, const clickhouse::ReadMapping& mapping) {
  SqlScalar v = SourceSql(source, mapping);
  GroupSql g;
  g.kind = v.kind == SqlScalar::Kind::kInt || v.kind == SqlScalar::Kind::kDouble ? v.kind : SqlScalar::Kind::kString;
  g.expr = g.kind == SqlScalar::Kind::kString ? TextSql(v) : v.expr;
  return g;
}

std::string ZeroOf(SqlScalar::Kind kind) {
  switch (kind) {
    case SqlScalar::Kind::kInt:
      return "toInt64(0)";
    case SqlScalar::Kind::kDouble:
      return "toFloat64(0)";
    default:
      return "''";
  }
}

std::string LiteralOf(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kInt:
      return c.i == INT64_MIN ? "toInt64('-9223372036854775808')" : "toInt64(" + std::to_string(c.i) + ")";
    case Cell::Kind::kDouble:
      return DoubleLiteral(c.d);
    case Cell::Kind::kString:
      return Quote(c.s);
    case Cell::Kind::kNull:
      break;
  }
  return "''";
}

Status ReadGroupCell(const rapidjson::Value& v, SqlScalar::Kind kind, Cell* out) {
  switch (kind) {
    case SqlScalar::Kind::kInt:
      out->kind = Cell::Kind::kInt;
      return JsonInt64(v, &out->i);
    case SqlScalar::Kind::kDouble:
      out->kind = Cell::Kind::kDouble;
      return JsonDouble(v, &out->d);
    default:
      out->kind = Cell::Kind::kString;
      return JsonString(v, &out->s);
  }
}

// ---- Aggregates -------------------------------------------------------------------

// The select columns of one aggregate and how to turn them into its cell.
class AggregateSql {
 public:
  AggregateSql(const AggSpec& spec, const SqlScalar& arg) : spec_(spec) {
    auto level = [&] {
      char buf[40];
      std::snprintf(buf, sizeof(buf), "%.17g", spec.level);
      return std::string(buf);
    };
    if (spec.function == AggFunction::kCount) {
      columns_ = {"count()"};
      return;
    }
    if (spec.function == AggFunction::kCountDistinct) {
      // Distinct text forms: for numbers, distinct values are distinct texts.
      if (arg.kind == SqlScalar::Kind::kString && arg.present != "1") {
        columns_ = {"uniqExactIf(" + arg.expr + ", " + arg.present + ")"};
      } else {
        columns_ = {"uniqExact(" + arg.expr + ")"};
      }
      return;
    }
    SqlNumber n = NumberSql(arg);
    std::string valid = n.valid;
    if (arg.kind == SqlScalar::Kind::kDouble) valid = "NOT isNaN(" + n.d + ")";  // NaN is skipped
    std::string ints = "(" + valid + " AND " + n.is_int + ")";
    std::string doubles = "(" + valid + " AND NOT " + n.is_int + ")";
    columns_ = {"countIf(" + valid + ")", "countIf(" + doubles + ")"};
    switch (spec.function) {
      case AggFunction::kSum:
      case AggFunction::kAvg:
        columns_.push_back("sumIf(" + n.i + ", " + ints + ")");
        columns_.push_back("toString(sumIf(" + n.d + ", " + valid + "))");
        break;
      case AggFunction::kMin:
        columns_.push_back("minIf(" + n.i + ", " + ints + ")");
        columns_.push_back("toString(minIf(" + n.d + ", " + doubles + "))");
        break;
      case AggFunction::kMax:
        columns_.push_back("maxIf(" + n.i + ", " + ints + ")");
        columns_.push_back("toString(maxIf(" + n.d + ", " + doubles + "))");
        break;
      case AggFunction::kQuantile:
        columns_.push_back("toString(quantileExactIf(" + level() + ")(" + n.d + ", " + valid + "))");
        break;
      default:
        break;
    }
  }

  const std::vector<std::string>& columns() const { return columns_; }

  // The cell from this aggregate's columns at row[offset..].
  Status Final(const rapidjson::Value& row, size_t offset, Cell* c) const {
    *c = Cell();
    if (spec_.function == AggFunction::kCount || spec_.function == AggFunction::kCountDistinct) {
      uint64_t n = 0;
      OTELSTACK_RETURN_IF_ERROR(JsonUInt64(row[offset], &n));
      c->kind = Cell::Kind::kInt;
      c->i = static_cast<int64_t>(n);
      return Status::OK();
    }
    uint64_t n = 0, doubles = 0;
    OTELSTACK_RETURN_IF_ERROR(JsonUInt64(row[offset], &n));
    OTELSTACK_RETURN_IF_ERROR(JsonUInt64(row[offset + 1], &doubles));
    if (n == 0) return Status::OK();
    const bool all_int = doubles == 0;
    auto set_int = [&](int64_t i) {
      c->kind = Cell::Kind::kInt;
      c->i = i;
    };
    auto set_double = [&](double d) {
      c->kind = Cell::Kind::kDouble;
      c->d = d;
    };
    switch (spec_.function) {
      case AggFunction::kSum:
      case AggFunction::kAvg: {
        int64_t si = 0;
        double sd = 0;
        OTELSTACK_RETURN_IF_ERROR(JsonInt64(row[offset + 2], &si));
        OTELSTACK_RETURN_IF_ERROR(JsonDouble(row[offset + 3], &sd));
        // The embedded sum leaves integers on overflow; Int64 sums wrap in
        // ClickHouse, so a double sum beyond the Int64 range means overflow.
        bool exact = all_int && std::fabs(sd) < 9.2e18;
        if (spec_.function == AggFunction::kSum) {
          exact ? set_int(si) : set_double(sd);
        } else {
          set_double(exact ? static_cast<double>(si) / static_cast<double>(n) : sd / static_cast<double>(n));
        }
        return Status::OK();
      }
      case AggFunction::kMin:
      case AggFunction::kMax: {
        int64_t i = 0;
        double d = 0;
        OTELSTACK_RETURN_IF_ERROR(JsonInt64(row[offset + 2], &i));
        OTELSTACK_RETURN_IF_ERROR(JsonDouble(row[offset + 3], &d));
        if (all_int) {
          set_int(i);
        } else if (doubles == n) {
          set_double(d);
        } else {  // mixed: integers and doubles compare as doubles
          double id = static_cast<double>(i);
          bool double_wins = spec_.function == AggFunction::kMin ? d < id : d > id;
          double_wins ? set_double(d) : set_int(i);
        }
        return Status::OK();
      }
      case AggFunction::kQuantile: {
        double q = 0;
        OTELSTACK_RETURN_IF_ERROR(JsonDouble(row[offset + 2], &q));
        all_int ? set_int(static_cast<int64_t>(q)) : set_double(q);
        return Status::OK();
      }
      default:
        return Status::Internal("unexpected aggregate");
    }
  }

 private:
  const AggSpec& spec_;
  std::vector<std::string> columns_;
};

// rate() and histogram_quantile(): the matching points, aggregated by the
// embedded engine.
Status ChartFromPoints(const ClickHouseSource& source, const ChartRequest& req, const std::string& where,
                       ChartResult* out) {
  const clickhouse::ReadMapping& m = *source.mapping;
  std::string sql = "SELECT " + m.RowSelectList() + "\nFROM " + m.From() + "\nWHERE " + where;
  std::string body;
  OTELSTACK_RETURN_IF_ERROR(RunRowBinary(source, sql, req.limits, &body).WithContext("chart on ClickHouse"));
  auto batch = std::make_shared<RowBatch>(req.signal);
  OTELSTACK_RETURN_IF_ERROR(m.DecodeRows(body, batch.get()).WithContext("chart on ClickHouse"));
  StoreSnapshot snapshot;
  snapshot.unflushed.push_back(batch);
  ChartRequest local = req;
  local.query = nullptr;  // already applied
  local.limits = QueryLimits();
  local.limits.cancelled = req.limits.cancelled;
  OTELSTACK_RETURN_IF_ERROR(query::Chart(snapshot, local, out));
  out->stats = ScanStats();
  out->stats.rows_read = batch->rows();
  return Status::OK();
}

}  // namespace

Status Chart(const ClickHouseSource& source, const ChartRequest& req, ChartResult* out) {
  *out = ChartResult();
  OTELSTACK_RETURN_IF_ERROR(CheckSource(source, req.signal));
  if (req.aggregates.empty()) return Status::InvalidArgument("a chart needs at least one aggregate");
  std::string where;
  OTELSTACK_RETURN_IF_ERROR(WhereSql(source, req.signal, req.from_ns, req.to_ns, req.query, &where));
  for (const AggSpec& a : req.aggregates) {
    if (IsSeriesFunction(a.function)) return ChartFromPoints(source, req, where, out);
  }
  const clickhouse::ReadMapping& m = *source.mapping;

  std::vector<ValueSource> groups(req.group_by.size()), args(req.aggregates.size());
  std::vector<GroupSql> group_sql;
  for (size_t g = 0; g < req.group_by.size(); ++g) {
    OTELSTACK_RETURN_IF_ERROR(BindField(req.signal, req.group_by[g], &groups[g]).WithContext("group by"));
    group_sql.push_back(GroupOf(groups[g], m));
  }
  std::vector<std::unique_ptr<AggregateSql>> aggs;
  for (size_t a = 0; a < req.aggregates.size(); ++a) {
    SqlScalar arg;
    if (req.aggregates[a].function != AggFunction::kCount) {
      OTELSTACK_RETURN_IF_ERROR(
          BindField(req.signal, req.aggregates[a].field, &args[a]).WithContext("aggregate " + req.aggregates[a].name));
      arg = SourceSql(args[a], m);
    }
    aggs.push_back(std::make_unique<AggregateSql>(req.aggregates[a], arg));
  }
  const std::string from = "\nFROM " + m.From() + "\nWHERE " + where;

  // Top-K: the groups to keep, ranked by the first aggregate over the range.
  std::string keep;  // a UInt8 expression; empty: keep every group
  if (req.top_k > 0 && !group_sql.empty()) {
    std::string select, group_by;
    for (size_t g = 0; g < group_sql.size(); ++g) {
      if (g > 0) group_by += ", ";
      group_by += group_sql[g].expr;
      select += Output(group_sql[g].kind, group_sql[g].expr) + ", ";
    }
    const auto& first = aggs[0]->columns();
    for (size_t c = 0; c < first.size(); ++c) select += (c > 0 ? ", " : "") + first[c];
    rapidjson::Document doc;
    OTELSTACK_RETURN_IF_ERROR(
        RunJson(source, "SELECT " + select + from + "\nGROUP BY " + group_by, req.limits, &doc, &out->stats)
            .WithContext("chart on ClickHouse"));
    struct Ranked {
      std::vector<Cell> cells;
      Cell score;
    };
    std::vector<Ranked> ranked;
    for (const rapidjson::Value& row : doc["data"].GetArray()) {
      Ranked r;
      r.cells.resize(group_sql.size());
      for (size_t g = 0; g < group_sql.size(); ++g) {
        OTELSTACK_RETURN_IF_ERROR(ReadGroupCell(row[g], group_sql[g].kind, &r.cells[g]));
      }
      OTELSTACK_RETURN_IF_ERROR(aggs[0]->Final(row, group_sql.size(), &r.score));
      ranked.push_back(std::move(r));
    }
    if (ranked.size() > req.top_k) {
      std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
        if (CellLess(b.score, a.score)) return true;  // larger first; null last
        if (CellLess(a.score, b.score)) return false;
        return CellsLess(a.cells, b.cells);
      });
      for (size_t i = 0; i < req.top_k; ++i) {
        std::string all;
        for (size_t g = 0; g < group_sql.size(); ++g) {
          all += (g > 0 ? " AND " : "") + std::string("(") + group_sql[g].expr + " = " + LiteralOf(ranked[i].cells[g]) +
                 ")";
        }
        keep += (i > 0 ? " OR " : "") + std::string("(") + all + ")";
      }
      keep = "(" + keep + ")";
    }
  }

  // The chart statement: [bucket], [kept], groups, aggregate columns.
  std::vector<std::string> select, group_by;
  if (req.granularity_ns > 0) {
    std::string g = std::to_string(req.granularity_ns);
    select.push_back("intDiv(" + m.TimeNs() + ", " + g + ") * " + g);
    group_by.push_back(select.back());
  }
  if (!keep.empty()) {
    select.push_back(keep);
    group_by.push_back(keep);
  }
  for (const GroupSql& g : group_sql) {
    group_by.push_back(keep.empty() ? g.expr : "if(" + keep + ", " + g.expr + ", " + ZeroOf(g.kind) + ")");
    select.push_back(Output(g.kind, group_by.back()));
  }
  for (const auto& a : aggs) select.insert(select.end(), a->columns().begin(), a->columns().end());
  std::string sql = "SELECT ";
  for (size_t i = 0; i < select.size(); ++i) sql += (i > 0 ? ",\n  " : "") + select[i];
  sql += from;
  if (!group_by.empty()) {
    sql += "\nGROUP BY ";
    for (size_t i = 0; i < group_by.size(); ++i) sql += (i > 0 ? ", " : "") + group_by[i];
  }
  rapidjson::Document doc;
  OTELSTACK_RETURN_IF_ERROR(RunJson(source, sql, req.limits, &doc, &out->stats).WithContext("chart on ClickHouse"));

  SetChartColumns(req, groups, args, out);
  for (const rapidjson::Value& row : doc["data"].GetArray()) {
    if (!row.IsArray() || row.Size() != select.size()) {
      return Status::Corruption("ClickHouse returned a chart row of unexpected width");
    }
    ChartRow out_row;
    size_t col = 0;
    if (req.granularity_ns > 0) {
      uint64_t bucket = 0;
      OTELSTACK_RETURN_IF_ERROR(JsonUInt64(row[col++], &bucket));
      out_row.bucket = bucket;
    }
    bool kept = true;
    if (!keep.empty()) {
      uint64_t k = 0;
      OTELSTACK_RETURN_IF_ERROR(JsonUInt64(row[col++], &k));
      kept = k != 0;
    }
    out_row.group.resize(group_sql.size());
    for (size_t g = 0; g < group_sql.size(); ++g, ++col) {
      if (kept) OTELSTACK_RETURN_IF_ERROR(ReadGroupCell(row[col], group_sql[g].kind, &out_row.group[g]));
    }
    for (const auto& a : aggs) {
      Cell c;
      OTELSTACK_RETURN_IF_ERROR(a->Final(row, col, &c));
      col += a->columns().size();
      out_row.values.push_back(std::move(c));
    }
    out->rows.push_back(std::move(out_row));
  }
  std::sort(out->rows.begin(), out->rows.end(), [](const ChartRow& a, const ChartRow& b) {
    if (a.bucket != b.bucket) return a.bucket < b.bucket;
    return CellsLess(a.group, b.group);
  });
  return Status::OK();
}

Status Facets(const ClickHouseSource& source, const FacetsRequest& req, std::vector<Facet>* out, ScanStats* stats) {
  out->clear();
  OTELSTACK_RETURN_IF_ERROR(CheckSource(source, req.signal));
  std::string where;
  OTELSTACK_RETURN_IF_ERROR(WhereSql(source, req.signal, req.from_ns, req.to_ns, req.query, &where));
  const clickhouse::ReadMapping& m = *source.mapping;
  ScanStats local;
  for (const ast::Field& field : req.fields) {
    ValueSource bound;
    OTELSTACK_RETURN_IF_ERROR(BindField(req.signal, field, &bound).WithContext("group by"));
    GroupSql g = GroupOf(bound, m);
    Facet facet;
    facet.field = bound.display;
    if (req.limit > 0) {
      // Empty values are not listed; by count descending, then value.
      std::string sql = "SELECT " + g.expr + " AS facet_value, count() AS facet_count, " +
                        Output(g.kind, "facet_value") + "\nFROM " + m.From() + "\nWHERE " + where +
                        "\nGROUP BY facet_value";
      if (g.kind == SqlScalar::Kind::kString) sql += "\nHAVING facet_value != ''";
      sql += "\nORDER BY facet_count DESC, facet_value ASC\nLIMIT " + std::to_string(req.limit);
      rapidjson::Document doc;
      OTELSTACK_RETURN_IF_ERROR(RunJson(source, sql, req.limits, &doc, &local).WithContext("facets on ClickHouse"));
      for (const rapidjson::Value& row : doc["data"].GetArray()) {
        if (!row.IsArray() || row.Size() != 3) return Status::Corruption("ClickHouse returned a malformed facet row");
        FacetValue v;
        OTELSTACK_RETURN_IF_ERROR(ReadGroupCell(row[2], g.kind, &v.value));
        OTELSTACK_RETURN_IF_ERROR(JsonUInt64(row[1], &v.count));
        facet.values.push_back(std::move(v));
      }
    }
    out->push_back(std::move(facet));
  }
  if (stats != nullptr) *stats = local;
  return Status::OK();
}

}  // namespace otelstack::query::ch

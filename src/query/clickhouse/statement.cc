#include "query/clickhouse/statement.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <mutex>
#include <set>

#include "query/clickhouse/sql_filter.h"
#include "query/planner/binder.h"

namespace otelstack::query::ch {

clickhouse::Settings LimitSettings(const QueryLimits& limits, bool cancel_on_close) {
  auto mode = [](OverflowMode m) { return std::string(m == OverflowMode::kBreak ? "break" : "throw"); };
  clickhouse::Settings s;
  if (limits.max_rows_to_read > 0) {
    s.emplace_back("max_rows_to_read", std::to_string(limits.max_rows_to_read));
    s.emplace_back("read_overflow_mode", mode(limits.read_overflow_mode));
  }
  if (limits.max_execution_time.count() > 0) {
    // Whole seconds on 18.16 (the setting takes fractions only on newer
    // servers): rounded up, so a limit never fires earlier than asked.
    int64_t seconds = (limits.max_execution_time.count() + 999) / 1000;
    s.emplace_back("max_execution_time", std::to_string(seconds));
    s.emplace_back("timeout_overflow_mode", mode(limits.timeout_overflow_mode));
  }
  // The whole result is computed before the response starts, so an error
  // (e.g. a limit in throw mode) is a proper HTTP error, never a cut body.
  s.emplace_back("wait_end_of_query", "1");
  if (cancel_on_close) s.emplace_back("cancel_http_readonly_queries_on_client_close", "1");
  return s;
}

Status CheckSource(const ClickHouseSource& source, Signal signal) {
  if (source.client == nullptr || source.mapping == nullptr) {
    return Status::InvalidArgument("ClickHouse source without a client or table mapping");
  }
  if (source.mapping->signal() != signal) {
    return Status::InvalidArgument("the ClickHouse table mapping reads " +
                                   std::string(SignalName(source.mapping->signal())) + ", not " +
                                   std::string(SignalName(signal)));
  }
  return Status::OK();
}

Status WhereSql(const ClickHouseSource& source, Signal signal, uint64_t from_ns, uint64_t to_ns, const ast::Node* query,
                std::string* out) {
  BoundFilter bound;
  OTELSTACK_RETURN_IF_ERROR(BindFilter(signal, query, &bound));
  std::string filter;
  OTELSTACK_RETURN_IF_ERROR(FilterSql(bound, *source.mapping, &filter));
  *out = source.mapping->TimeRange(from_ns, to_ns);
  if (filter != "1") *out = "(" + *out + ") AND " + filter;
  return Status::OK();
}

namespace {

constexpr int kReadonlyError = 164;  // "Cannot override setting (...) in readonly mode"

// Runs `sql` with the limits as settings. A `readonly = 1` user on a server
// without CHANGEABLE_IN_READONLY constraints (18.16, and servers before 22.9
// without SQL-defined constraints) may not send any setting that differs from
// its profile: then the query runs again with only wait_end_of_query, and the
// profile's own limits (`otelstack clickhouse init` sets them) bound it. Such
// users are remembered (by URL and user) for the life of the process, so later
// queries need one round trip.
Status QueryWithLimits(const ClickHouseSource& source, const std::string& sql, const QueryLimits& limits,
                       std::string* body) {
  static std::mutex mu;
  static std::set<std::string> refusing_users;
  const clickhouse::ConnectionOptions& connection = source.client->options();
  const std::string user_key = clickhouse::UrlToString(connection.url) + "|" + connection.user;
  const clickhouse::Settings profile_only = {{"wait_end_of_query", "1"}};
  bool refuses;
  {
    std::lock_guard<std::mutex> lk(mu);
    refuses = refusing_users.count(user_key) > 0;
  }
  if (refuses) return source.client->Query(sql, profile_only, body, limits.cancelled);
  Status s = source.client->Query(sql, LimitSettings(limits, source.cancel_on_close), body, limits.cancelled);
  if (clickhouse::ExceptionCode(s) != kReadonlyError) return s;
  {
    std::lock_guard<std::mutex> lk(mu);
    if (refusing_users.insert(user_key).second) {
      spdlog::warn(
          "ClickHouse user {} is readonly and may not set query limits: its profile's limits apply instead "
          "of the team's ({})",
          connection.user.empty() ? "default" : connection.user, s.message());
    }
  }
  return source.client->Query(sql, profile_only, body, limits.cancelled);
}

}  // namespace

Status RunRowBinary(const ClickHouseSource& source, const std::string& sql, const QueryLimits& limits,
                    std::string* body) {
  return QueryWithLimits(source, sql + "\nFORMAT RowBinary", limits, body);
}

Status RunJson(const ClickHouseSource& source, const std::string& sql, const QueryLimits& limits,
               rapidjson::Document* doc, ScanStats* stats) {
  std::string body;
  OTELSTACK_RETURN_IF_ERROR(QueryWithLimits(source, sql + "\nFORMAT JSONCompact", limits, &body));
  doc->Parse<rapidjson::kParseFullPrecisionFlag>(body.data(), body.size());
  if (doc->HasParseError() || !doc->IsObject() || !doc->HasMember("data") || !(*doc)["data"].IsArray()) {
    return Status::Corruption("ClickHouse answered a query with malformed JSONCompact");
  }
  if (stats == nullptr) return Status::OK();
  uint64_t rows_read = 0;
  double elapsed = 0;
  auto st = doc->FindMember("statistics");
  if (st != doc->MemberEnd() && st->value.IsObject()) {
    auto r = st->value.FindMember("rows_read");
    if (r != st->value.MemberEnd() && r->value.IsUint64()) rows_read = r->value.GetUint64();
    auto e = st->value.FindMember("elapsed");
    if (e != st->value.MemberEnd() && e->value.IsNumber()) elapsed = e->value.GetDouble();
  }
  stats->rows_read += rows_read;
  if (!stats->partial && limits.max_rows_to_read > 0 && limits.read_overflow_mode == OverflowMode::kBreak &&
      rows_read > limits.max_rows_to_read) {
    stats->partial = true;
    stats->partial_reason = "the query would read more than max_rows_to_read (" +
                            std::to_string(limits.max_rows_to_read) + "); narrow the time range or the query";
  }
  if (!stats->partial && limits.max_execution_time.count() > 0 &&
      limits.timeout_overflow_mode == OverflowMode::kBreak &&
      elapsed * 1000 >= static_cast<double>(limits.max_execution_time.count())) {
    stats->partial = true;
    stats->partial_reason = "max_execution_time (" + std::to_string(limits.max_execution_time.count()) +
                            " ms) exceeded; narrow the time range or the query";
  }
  return Status::OK();
}

namespace {
template <typename T>
Status JsonInteger(const rapidjson::Value& v, T* out) {
  if (v.IsString()) {
    const char* begin = v.GetString();
    const char* end = begin + v.GetStringLength();
    auto [p, ec] = std::from_chars(begin, end, *out);
    if (ec == std::errc() && p == end) return Status::OK();
  } else if constexpr (std::is_signed_v<T>) {
    if (v.IsInt64()) {
      *out = v.GetInt64();
      return Status::OK();
    }
  } else if (v.IsUint64()) {
    *out = v.GetUint64();
    return Status::OK();
  }
  return Status::Corruption("ClickHouse returned a malformed integer");
}
}  // namespace

Status JsonInt64(const rapidjson::Value& v, int64_t* out) { return JsonInteger(v, out); }
Status JsonUInt64(const rapidjson::Value& v, uint64_t* out) { return JsonInteger(v, out); }

Status JsonDouble(const rapidjson::Value& v, double* out) {
  if (v.IsNumber()) {
    *out = v.GetDouble();
    return Status::OK();
  }
  if (v.IsNull()) {
    *out = std::numeric_limits<double>::quiet_NaN();
    return Status::OK();
  }
  if (v.IsString()) {  // toString(Float64): shortest round-trip text, "inf", "-inf", "nan"
    const char* begin = v.GetString();
    const char* end = begin + v.GetStringLength();
    auto [p, ec] = std::from_chars(begin, end, *out);
    if (ec == std::errc() && p == end) return Status::OK();
  }
  return Status::Corruption("ClickHouse returned a malformed Float64");
}

Status JsonString(const rapidjson::Value& v, std::string* out) {
  if (!v.IsString()) return Status::Corruption("ClickHouse returned a non-string where a String was expected");
  out->assign(v.GetString(), v.GetStringLength());
  return Status::OK();
}

}  // namespace otelstack::query::ch

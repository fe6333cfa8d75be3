// Helpers of the audit tests: rows as the search API renders them
// (query/row_json.h), parsed back with RapidJSON so tests can look at
// columns and attributes by name.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "ingest/ingest_service.h"
#include "query/parser/lucene_parser.h"
#include "query/row_json.h"
#include "query/search.h"
#include "store/snapshot.h"

namespace otelstack::audit::test {

using Row = std::shared_ptr<rapidjson::Document>;

inline Row ParseRow(const RowBatch& batch, size_t row) {
  std::string json;
  Status s = query::AppendRowJson(batch, row, &json);
  EXPECT_TRUE(s.ok()) << s.ToString();
  auto doc = std::make_shared<rapidjson::Document>();
  doc->Parse(json.data(), json.size());
  EXPECT_FALSE(doc->HasParseError()) << json;
  return doc;
}

// The rows of the audit store under `data_dir` that match the Lucene query
// (every row for ""), newest first, read through a snapshot as an admin's
// search would (parts and unflushed WAL records alike).
inline std::vector<Row> SearchAudit(const std::string& data_dir, const std::string& lucene) {
  std::vector<Row> rows;
  StoreSnapshot snapshot;
  Status s = LoadSnapshot(AuditLog::StoreDir(data_dir), ingest::DecodeWalEntry, Signal::kLogs, &snapshot);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return rows;
  query::ast::NodePtr parsed;
  s = query::ParseLucene(lucene, &parsed);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return rows;
  query::SearchRequest request;
  request.signal = Signal::kLogs;
  request.query = parsed.get();
  request.limit = 10'000;
  request.threads = 1;
  s = query::Search(snapshot, request,
                    [&](const RowBatch& batch, size_t row) { rows.push_back(ParseRow(batch, row)); });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return rows;
}

inline std::string Column(const Row& row, const char* name) {
  if (!row->HasMember(name) || !(*row)[name].IsString()) return "<missing " + std::string(name) + ">";
  return (*row)[name].GetString();
}

inline bool HasAttr(const Row& row, const char* key) {
  const rapidjson::Value& attrs = (*row)["LogAttributes"];
  return attrs.IsObject() && attrs.HasMember(key);
}

inline std::string StrAttr(const Row& row, const char* key) {
  if (!HasAttr(row, key)) return "<missing " + std::string(key) + ">";
  const rapidjson::Value& v = (*row)["LogAttributes"][key];
  return v.IsString() ? v.GetString() : "<not a string: " + std::string(key) + ">";
}

inline int64_t IntAttr(const Row& row, const char* key) {
  if (!HasAttr(row, key) || !(*row)["LogAttributes"][key].IsInt64()) {
    ADD_FAILURE() << "no integer attribute " << key;
    return -1;
  }
  return (*row)["LogAttributes"][key].GetInt64();
}

inline double DoubleAttr(const Row& row, const char* key) {
  if (!HasAttr(row, key) || !(*row)["LogAttributes"][key].IsNumber()) {
    ADD_FAILURE() << "no number attribute " << key;
    return -1;
  }
  return (*row)["LogAttributes"][key].GetDouble();
}

inline std::string ResourceAttr(const Row& row, const char* key) {
  const rapidjson::Value& attrs = (*row)["ResourceAttributes"];
  if (!attrs.IsObject() || !attrs.HasMember(key) || !attrs[key].IsString()) return "<missing>";
  return attrs[key].GetString();
}

}  // namespace otelstack::audit::test

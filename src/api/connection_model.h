// Connections as stored documents (see source_model.h for what they are).
//
// A connection document's `json` holds {"name","kind","url","username"}; the
// password is never in it: it is sealed into Document::sealed_secret with the
// master key (meta/crypto.h) and the associated data
// "otelstack/connection-password/v1:<team id>:<document id>", which binds the
// sealed bytes to that one row, so a copy pasted into another connection's
// row (or another team's) fails to open. The document id is assigned by
// Insert, so a new connection with a password is inserted without a secret
// and then updated with it (see config_routes.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/json_out.h"
#include "common/status.h"
#include "meta/document_repository.h"

namespace otelstack::api {

inline constexpr char kConnectionKindEmbedded[] = "embedded";
inline constexpr char kConnectionKindClickHouse[] = "clickhouse";

struct Connection {
  int64_t id = 0;
  std::string name;
  bool embedded = false;
  std::string url;       // clickhouse only
  std::string username;  // clickhouse only
  bool has_password = false;
};

// Reads a stored connection document. Corruption when its json is not a
// connection (the API only stores valid ones).
StatusOr<Connection> ConnectionFromDocument(const meta::Document& doc);

// The document json (no id, no password).
std::string ConnectionStoredJson(const Connection& connection);

// The API representation: {"id","name","kind"} and, for clickhouse,
// "url","username","hasPassword".
void WriteConnection(JsonWriter& w, const Connection& connection);

std::string ConnectionSecretAssociatedData(int64_t team_id, int64_t connection_id);
StatusOr<std::string> SealConnectionPassword(std::string_view master_key, int64_t team_id, int64_t connection_id,
                                             std::string_view password);
// The password of a stored connection ("" when it has none). Corruption if
// the sealed bytes do not open (wrong master key or a moved row).
StatusOr<std::string> OpenConnectionPassword(std::string_view master_key, const meta::Document& doc);

}  // namespace otelstack::api

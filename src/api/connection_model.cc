#include "api/connection_model.h"

#include "api/json_body.h"
#include "meta/crypto.h"

namespace otelstack::api {

StatusOr<Connection> ConnectionFromDocument(const meta::Document& doc) {
  rapidjson::Document json;
  Status parsed = ParseJsonObject(doc.json, &json);
  if (!parsed.ok()) return Status::Corruption("connection " + std::to_string(doc.id) + ": " + parsed.message());
  Connection c;
  c.id = doc.id;
  c.name = doc.name;
  StatusOr<std::string> kind = RequiredString(json, "kind");
  StatusOr<std::optional<std::string>> url = OptionalString(json, "url");
  StatusOr<std::optional<std::string>> username = OptionalString(json, "username");
  if (!kind.ok() || !url.ok() || !username.ok() ||
      (*kind != kConnectionKindEmbedded && *kind != kConnectionKindClickHouse)) {
    return Status::Corruption("connection " + std::to_string(doc.id) + ": not a connection document");
  }
  c.embedded = *kind == kConnectionKindEmbedded;
  c.url = url->value_or("");
  c.username = username->value_or("");
  c.has_password = !doc.sealed_secret.empty();
  return c;
}

namespace {
// The fields both the stored document and the API answer hold.
void WriteConnectionFields(JsonWriter& w, const Connection& c) {
  w.Key("name");
  w.String(c.name.c_str(), c.name.size());
  w.Key("kind");
  w.String(c.embedded ? kConnectionKindEmbedded : kConnectionKindClickHouse);
  if (!c.embedded) {
    w.Key("url");
    w.String(c.url.c_str(), c.url.size());
    w.Key("username");
    w.String(c.username.c_str(), c.username.size());
  }
}
}  // namespace

std::string ConnectionStoredJson(const Connection& c) {
  return RenderJson([&](JsonWriter& w) {
    w.StartObject();
    WriteConnectionFields(w, c);
    w.EndObject();
  });
}

void WriteConnection(JsonWriter& w, const Connection& c) {
  w.StartObject();
  w.Key("id");
  w.String(std::to_string(c.id).c_str());
  WriteConnectionFields(w, c);
  if (!c.embedded) {
    w.Key("hasPassword");
    w.Bool(c.has_password);
  }
  w.EndObject();
}

std::string ConnectionSecretAssociatedData(int64_t team_id, int64_t connection_id) {
  return "otelstack/connection-password/v1:" + std::to_string(team_id) + ":" + std::to_string(connection_id);
}

StatusOr<std::string> SealConnectionPassword(std::string_view master_key, int64_t team_id, int64_t connection_id,
                                             std::string_view password) {
  return meta::SealAesGcm(master_key, password, ConnectionSecretAssociatedData(team_id, connection_id));
}

StatusOr<std::string> OpenConnectionPassword(std::string_view master_key, const meta::Document& doc) {
  if (doc.sealed_secret.empty()) return std::string();
  StatusOr<std::string> opened =
      meta::OpenAesGcm(master_key, doc.sealed_secret, ConnectionSecretAssociatedData(doc.team_id, doc.id));
  if (!opened.ok()) return opened.status().WithContext("connection " + std::to_string(doc.id) + " password");
  return opened;
}

}  // namespace otelstack::api

// Storage of a team's configuration documents: connections, sources, saved
// searches and dashboards. Each is a JSON object (the API's representation,
// validated by the API layer) plus columns the repository needs to know:
// team, kind, name and, for connections, a sealed secret (the ClickHouse
// password sealed with the master key; never part of `json`).
//
// This mirrors how HyperDX keeps these as MongoDB documents, without the
// database knowing their shape: a new field needs no migration. Ids are
// unique across kinds and never reused. Implementations are thread-safe and
// every method is atomic. Every method is scoped by team: a document of
// another team is NotFound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "meta/ingestion_key_repository.h"  // TimePoint

namespace otelstack::meta {

enum class DocumentKind { kConnection = 1, kSource = 2, kSavedSearch = 3, kDashboard = 4 };

// "connection", "source", "saved search", "dashboard".
std::string_view DocumentKindName(DocumentKind kind);
// The NotFound every implementation returns for a missing (or another
// team's) document.
Status DocumentNotFound(DocumentKind kind, int64_t id);

struct Document {
  int64_t id = 0;
  int64_t team_id = 0;
  DocumentKind kind = DocumentKind::kSource;
  std::string name;
  std::string json;           // a JSON object
  std::string sealed_secret;  // empty when none
  int64_t created_by = 0;     // user id; 0 for built-ins created by the server
  TimePoint created_at;
  TimePoint updated_at;
};

class DocumentRepository {
 public:
  virtual ~DocumentRepository() = default;

  // Inserts `doc` (its id is ignored and assigned) and returns it.
  virtual StatusOr<Document> Insert(const Document& doc) = 0;
  virtual StatusOr<Document> Get(int64_t team_id, DocumentKind kind, int64_t id) = 0;  // NotFound
  // Ascending id.
  virtual StatusOr<std::vector<Document>> List(int64_t team_id, DocumentKind kind) = 0;
  // Replaces name, json, sealed_secret and updated_at of (doc.team_id,
  // doc.kind, doc.id). NotFound if there is no such document.
  virtual Status Update(const Document& doc) = 0;
  virtual Status Delete(int64_t team_id, DocumentKind kind, int64_t id) = 0;  // NotFound
};

}  // namespace otelstack::meta

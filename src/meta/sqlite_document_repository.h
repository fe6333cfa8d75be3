// DocumentRepository on the meta.db SQLite connection: rows of the
// `documents` table (migration 3), one table for every kind so ids are
// unique across kinds. Every statement filters by team_id and kind, which is
// what makes another team's document NotFound. Each method holds the
// connection's lock for its whole statement or transaction.
#pragma once

#include "meta/document_repository.h"
#include "meta/sqlite_db.h"

namespace otelstack::meta {

class SqliteDocumentRepository : public DocumentRepository {
 public:
  // `db` must outlive this object.
  explicit SqliteDocumentRepository(SqliteDb* db) : db_(db) {}

  StatusOr<Document> Insert(const Document& doc) override;
  StatusOr<Document> Get(int64_t team_id, DocumentKind kind, int64_t id) override;
  StatusOr<std::vector<Document>> List(int64_t team_id, DocumentKind kind) override;
  Status Update(const Document& doc) override;
  Status Delete(int64_t team_id, DocumentKind kind, int64_t id) override;

 private:
  SqliteDb* db_;
};

}  // namespace otelstack::meta

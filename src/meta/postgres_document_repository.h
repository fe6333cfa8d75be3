// DocumentRepository on a PostgreSQL connection: rows of the `documents`
// table (postgres_migrations.cc), one table for every kind so ids are unique
// across kinds. Every statement filters by team_id and kind, which is what
// makes another team's document NotFound. Each method is one statement (the
// team's existence is checked in the INSERT itself; teams are never deleted
// through the interfaces, and the foreign key backs it up).
#pragma once

#include "meta/document_repository.h"
#include "meta/postgres_db.h"

namespace otelstack::meta {

class PostgresDocumentRepository : public DocumentRepository {
 public:
  // `db` must outlive this object.
  explicit PostgresDocumentRepository(PostgresDb* db) : db_(db) {}

  StatusOr<Document> Insert(const Document& doc) override;
  StatusOr<Document> Get(int64_t team_id, DocumentKind kind, int64_t id) override;
  StatusOr<std::vector<Document>> List(int64_t team_id, DocumentKind kind) override;
  Status Update(const Document& doc) override;
  Status Delete(int64_t team_id, DocumentKind kind, int64_t id) override;

 private:
  PostgresDb* db_;
};

}  // namespace otelstack::meta

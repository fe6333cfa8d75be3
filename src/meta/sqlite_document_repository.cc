#include "meta/sqlite_document_repository.h"

#include <string>
#include <utility>

namespace otelstack::meta {

namespace {

constexpr char kDocumentColumns[] = "id, team_id, kind, name, json, sealed_secret, created_by, created_at, updated_at";

// Reads the columns of kDocumentColumns from the current row.
Document ReadDocument(const SqliteStatement& stmt) {
  Document doc;
  doc.id = stmt.ColumnInt(0);
  doc.team_id = stmt.ColumnInt(1);
  doc.kind = static_cast<DocumentKind>(stmt.ColumnInt(2));
  doc.name = stmt.ColumnText(3);
  doc.json = stmt.ColumnText(4);
  doc.sealed_secret = stmt.ColumnBlob(5);
  doc.created_by = stmt.ColumnInt(6);
  doc.created_at = FromUnixMillis(stmt.ColumnInt(7));
  doc.updated_at = FromUnixMillis(stmt.ColumnInt(8));
  return doc;
}

// Get without locking; requires db.Lock().
StatusOr<Document> GetLocked(SqliteDb& db, int64_t team_id, DocumentKind kind, int64_t id) {
  auto stmt = SqliteStatement::Prepare(
      db, std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE id = ? AND team_id = ? AND kind = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, id);
  stmt->BindInt(2, team_id);
  stmt->BindInt(3, static_cast<int64_t>(kind));
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return DocumentNotFound(kind, id);
  return ReadDocument(*stmt);
}

}  // namespace

StatusOr<Document> SqliteDocumentRepository::Insert(const Document& doc) {
  auto lock = db_->Lock();
  auto txn = SqliteTransaction::Begin(*db_, SqliteTransaction::Mode::kWrite);
  if (!txn.ok()) return txn.status();
  {
    auto team = SqliteStatement::Prepare(*db_, "SELECT 1 FROM teams WHERE id = ?");
    if (!team.ok()) return team.status();
    team->BindInt(1, doc.team_id);
    auto row = team->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("no team with id " + std::to_string(doc.team_id));
  }
  int64_t id = 0;
  {
    auto stmt = SqliteStatement::Prepare(*db_,
                                         "INSERT INTO documents(kind, team_id, name, json, sealed_secret, created_by, "
                                         "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt(1, static_cast<int64_t>(doc.kind));
    stmt->BindInt(2, doc.team_id);
    stmt->BindText(3, doc.name);
    stmt->BindText(4, doc.json);
    stmt->BindBlob(5, doc.sealed_secret);
    stmt->BindInt(6, doc.created_by);
    stmt->BindInt(7, ToUnixMillis(doc.created_at));
    stmt->BindInt(8, ToUnixMillis(doc.updated_at));
    OTELSTACK_RETURN_IF_ERROR(stmt->Run().WithContext("insert document " + doc.name));
    id = sqlite3_last_insert_rowid(db_->handle());
  }
  auto inserted = GetLocked(*db_, doc.team_id, doc.kind, id);
  if (!inserted.ok()) return inserted.status();
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return inserted;
}

StatusOr<Document> SqliteDocumentRepository::Get(int64_t team_id, DocumentKind kind, int64_t id) {
  auto lock = db_->Lock();
  return GetLocked(*db_, team_id, kind, id);
}

StatusOr<std::vector<Document>> SqliteDocumentRepository::List(int64_t team_id, DocumentKind kind) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(
      *db_, std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE team_id = ? AND kind = ? ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, team_id);
  stmt->BindInt(2, static_cast<int64_t>(kind));
  std::vector<Document> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(ReadDocument(*stmt));
  }
  return out;
}

Status SqliteDocumentRepository::Update(const Document& doc) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_,
                                       "UPDATE documents SET name = ?, json = ?, sealed_secret = ?, updated_at = ? "
                                       "WHERE id = ? AND team_id = ? AND kind = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, doc.name);
  stmt->BindText(2, doc.json);
  stmt->BindBlob(3, doc.sealed_secret);
  stmt->BindInt(4, ToUnixMillis(doc.updated_at));
  stmt->BindInt(5, doc.id);
  stmt->BindInt(6, doc.team_id);
  stmt->BindInt(7, static_cast<int64_t>(doc.kind));
  OTELSTACK_RETURN_IF_ERROR(stmt->Run().WithContext("update document " + std::to_string(doc.id)));
  if (sqlite3_changes(db_->handle()) == 0) return DocumentNotFound(doc.kind, doc.id);
  return Status::OK();
}

Status SqliteDocumentRepository::Delete(int64_t team_id, DocumentKind kind, int64_t id) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_, "DELETE FROM documents WHERE id = ? AND team_id = ? AND kind = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, id);
  stmt->BindInt(2, team_id);
  stmt->BindInt(3, static_cast<int64_t>(kind));
  OTELSTACK_RETURN_IF_ERROR(stmt->Run());
  if (sqlite3_changes(db_->handle()) == 0) return DocumentNotFound(kind, id);
  return Status::OK();
}

}  // namespace otelstack::meta

#include "meta/postgres_document_repository.h"

#include <string>
#include <utility>

#include "meta/sqlite_db.h"  // ToUnixMillis, FromUnixMillis

namespace otelstack::meta {

namespace {

constexpr char kDocumentColumns[] = "id, team_id, kind, name, json, sealed_secret, created_by, created_at, updated_at";

// Reads the columns of kDocumentColumns from `row`.
Document ReadDocument(const PgResult& r, int row) {
  Document doc;
  doc.id = r.Int(row, 0);
  doc.team_id = r.Int(row, 1);
  doc.kind = static_cast<DocumentKind>(r.Int(row, 2));
  doc.name = r.Text(row, 3);
  doc.json = r.Text(row, 4);
  doc.sealed_secret = r.Bytea(row, 5);
  doc.created_by = r.Int(row, 6);
  doc.created_at = FromUnixMillis(r.Int(row, 7));
  doc.updated_at = FromUnixMillis(r.Int(row, 8));
  return doc;
}

}  // namespace

StatusOr<Document> PostgresDocumentRepository::Insert(const Document& doc) {
  auto lock = db_->Lock();
  // INSERT ... SELECT FROM teams: no row (NotFound) when the team is missing.
  auto r = db_->Exec(std::string("INSERT INTO documents(kind, team_id, name, json, sealed_secret, created_by, "
                                 "created_at, updated_at) "
                                 "SELECT $1::integer, id, $3::text, $4::text, $5::bytea, $6::bigint, $7::bigint, "
                                 "$8::bigint FROM teams WHERE id = $2 RETURNING ") +
                         kDocumentColumns,
                     PgParams()
                         .Int(static_cast<int64_t>(doc.kind))
                         .Int(doc.team_id)
                         .Text(doc.name)
                         .Text(doc.json)
                         .Bytea(doc.sealed_secret)
                         .Int(doc.created_by)
                         .Int(ToUnixMillis(doc.created_at))
                         .Int(ToUnixMillis(doc.updated_at)));
  if (!r.ok()) return r.status().WithContext("insert document " + doc.name);
  if (r->rows() == 0) return Status::NotFound("no team with id " + std::to_string(doc.team_id));
  return ReadDocument(*r, 0);
}

StatusOr<Document> PostgresDocumentRepository::Get(int64_t team_id, DocumentKind kind, int64_t id) {
  auto lock = db_->Lock();
  auto r = db_->Exec(
      std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE id = $1 AND team_id = $2 AND kind = $3",
      PgParams().Int(id).Int(team_id).Int(static_cast<int64_t>(kind)));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return DocumentNotFound(kind, id);
  return ReadDocument(*r, 0);
}

StatusOr<std::vector<Document>> PostgresDocumentRepository::List(int64_t team_id, DocumentKind kind) {
  auto lock = db_->Lock();
  auto r = db_->Exec(
      std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE team_id = $1 AND kind = $2 ORDER BY id",
      PgParams().Int(team_id).Int(static_cast<int64_t>(kind)));
  if (!r.ok()) return r.status();
  std::vector<Document> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(ReadDocument(*r, i));
  return out;
}

Status PostgresDocumentRepository::Update(const Document& doc) {
  auto lock = db_->Lock();
  auto r = db_->Exec(
      "UPDATE documents SET name = $1, json = $2, sealed_secret = $3, updated_at = $4 "
      "WHERE id = $5 AND team_id = $6 AND kind = $7",
      PgParams()
          .Text(doc.name)
          .Text(doc.json)
          .Bytea(doc.sealed_secret)
          .Int(ToUnixMillis(doc.updated_at))
          .Int(doc.id)
          .Int(doc.team_id)
          .Int(static_cast<int64_t>(doc.kind)));
  if (!r.ok()) return r.status().WithContext("update document " + std::to_string(doc.id));
  if (r->affected() == 0) return DocumentNotFound(doc.kind, doc.id);
  return Status::OK();
}

Status PostgresDocumentRepository::Delete(int64_t team_id, DocumentKind kind, int64_t id) {
  auto lock = db_->Lock();
  auto r = db_->Exec("DELETE FROM documents WHERE id = $1 AND team_id = $2 AND kind = $3",
                     PgParams().Int(id).Int(team_id).Int(static_cast<int64_t>(kind)));
  if (!r.ok()) return r.status();
  if (r->affected() == 0) return DocumentNotFound(kind, id);
  return Status::OK();
}

}  // namespace otelstack::meta

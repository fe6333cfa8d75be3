#include "meta/meta_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/file_util.h"
#include "meta/migrations.h"
#include "meta/postgres_db.h"
#include "meta/postgres_document_repository.h"
#include "meta/postgres_identity_repository.h"
#include "meta/postgres_ingestion_key_repository.h"
#include "meta/postgres_migrations.h"
#include "meta/postgres_retention_settings_repository.h"
#include "meta/sqlite_db.h"
#include "meta/sqlite_document_repository.h"
#include "meta/sqlite_identity_repository.h"
#include "meta/sqlite_ingestion_key_repository.h"
#include "meta/sqlite_retention_settings_repository.h"

namespace otelstack::meta {

namespace {

constexpr mode_t kDataDirMode = 0700;
constexpr mode_t kDbFileMode = 0600;

// Creates the file with mode 0600 before SQLite does (SQLite would use 0644
// filtered by the umask) and tightens an existing one. SQLite creates the -wal
// and -shm files with the database file's mode, so this covers them too;
// existing ones from an earlier run are tightened as well.
Status PrepareDbFiles(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, kDbFileMode);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  int rc = ::fchmod(fd, kDbFileMode);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Status::FromErrno("chmod " + path, err);
  for (const char* suffix : {"-wal", "-shm"}) {
    std::string side = path + suffix;
    if (::chmod(side.c_str(), kDbFileMode) != 0 && errno != ENOENT) return Status::FromErrno("chmod " + side, errno);
  }
  return Status::OK();
}

// Sets the connection's pragmas. Requires db.Lock().
Status Configure(SqliteDb& db, const MetaStoreOptions& options) {
  sqlite3_busy_timeout(db.handle(), static_cast<int>(options.busy_timeout.count()));
  // journal_mode answers with the mode in effect, which stays the old one if
  // WAL is unavailable (e.g. a filesystem without shared memory).
  auto stmt = SqliteStatement::Prepare(db, "PRAGMA journal_mode=WAL");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status().WithContext("enable WAL");
  if (!*row || stmt->ColumnText(0) != "wal") {
    return Status::FailedPrecondition(db.path() + ": cannot enable WAL journal mode (journal_mode is " +
                                      (*row ? stmt->ColumnText(0) : std::string("unknown")) + ")");
  }
  return db.Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
}

}  // namespace

MetaStore::MetaStore(std::string path, std::unique_ptr<SqliteDb> db, int64_t schema_version)
    : path_(std::move(path)),
      db_(std::move(db)),
      schema_version_(schema_version),
      ingestion_keys_(std::make_unique<SqliteIngestionKeyRepository>(db_.get())),
      retention_settings_(
          std::make_unique<SettingsRetentionRepository>(std::make_unique<SqliteSettingsTable>(db_.get()))),
      identity_(std::make_unique<SqliteIdentityRepository>(db_.get())),
      documents_(std::make_unique<SqliteDocumentRepository>(db_.get())) {}

MetaStore::MetaStore(std::string path, std::unique_ptr<PostgresDb> db, int64_t schema_version)
    : path_(std::move(path)),
      pg_(std::move(db)),
      schema_version_(schema_version),
      ingestion_keys_(std::make_unique<PostgresIngestionKeyRepository>(pg_.get())),
      retention_settings_(
          std::make_unique<SettingsRetentionRepository>(std::make_unique<PostgresSettingsTable>(pg_.get()))),
      identity_(std::make_unique<PostgresIdentityRepository>(pg_.get())),
      documents_(std::make_unique<PostgresDocumentRepository>(pg_.get())) {}

MetaStore::~MetaStore() = default;

StatusOr<std::unique_ptr<MetaStore>> MetaStore::Open(const std::string& data_dir, const MetaStoreOptions& options) {
  OTELSTACK_RETURN_IF_ERROR(EnsureDir(data_dir, kDataDirMode));
  std::string path = data_dir + "/" + kMetaDbFileName;
  OTELSTACK_RETURN_IF_ERROR(PrepareDbFiles(path));
  auto db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  int64_t version = 0;
  {
    auto lock = (*db)->Lock();
    OTELSTACK_RETURN_IF_ERROR(Configure(**db, options));
    OTELSTACK_RETURN_IF_ERROR(ApplyMigrations(**db, KnownMigrations(), &version));
  }
  return std::unique_ptr<MetaStore>(new MetaStore(std::move(path), std::move(*db), version));
}

StatusOr<std::unique_ptr<MetaStore>> MetaStore::OpenPostgres(const std::string& conninfo, const std::string& password,
                                                             const MetaStoreOptions& options) {
  auto db = PostgresDb::Connect(conninfo, password, options.busy_timeout);
  if (!db.ok()) return db.status();
  int64_t version = 0;
  {
    auto lock = (*db)->Lock();
    OTELSTACK_RETURN_IF_ERROR(ApplyPostgresMigrations(**db, KnownPostgresMigrations(), &version));
  }
  std::string description = (*db)->description();
  return std::unique_ptr<MetaStore>(new MetaStore(std::move(description), std::move(*db), version));
}

}  // namespace otelstack::meta

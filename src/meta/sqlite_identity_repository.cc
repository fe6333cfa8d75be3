#include "meta/sqlite_identity_repository.h"

#include <string>
#include <utility>

namespace otelstack::meta {

namespace {

using Mode = SqliteTransaction::Mode;

constexpr char kTeamColumns[] = "id, name, created_at";
constexpr char kUserColumns[] = "id, team_id, email, name, role, password_hash, created_at";
constexpr char kSessionColumns[] =
    "id_digest, user_id, created_at, last_seen_at, expires_at, revoked_at, client_address, user_agent";
constexpr char kInvitationColumns[] =
    "id, team_id, token_digest, email, role, created_by, created_at, expires_at, used_at, used_by";
constexpr char kPersonalKeyColumns[] = "id, user_id, name, digest, created_at, last_used_at, expires_at, revoked_at";

// Emails are compared without ASCII case; non-ASCII bytes are kept as given.
std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<TimePoint> OptionalTime(const SqliteStatement& stmt, int col) {
  std::optional<int64_t> ms = stmt.ColumnOptionalInt(col);
  if (!ms) return std::nullopt;
  return FromUnixMillis(*ms);
}

std::optional<int64_t> OptionalMillis(std::optional<TimePoint> t) {
  if (!t) return std::nullopt;
  return ToUnixMillis(*t);
}

int Changes(SqliteDb& db) { return sqlite3_changes(db.handle()); }

StatusOr<Role> ReadRole(const SqliteDb& db, const SqliteStatement& stmt, int col) {
  std::string name = stmt.ColumnText(col);
  std::optional<Role> role = ParseRole(name);
  if (!role) return Status::Corruption(db.path() + ": unknown role '" + name + "'");
  return *role;
}

// Row readers for the column lists above.

StatusOr<Team> ReadTeam(const SqliteDb&, const SqliteStatement& stmt) {
  return Team{.id = stmt.ColumnInt(0), .name = stmt.ColumnText(1), .created_at = FromUnixMillis(stmt.ColumnInt(2))};
}

StatusOr<User> ReadUser(const SqliteDb& db, const SqliteStatement& stmt) {
  auto role = ReadRole(db, stmt, 4);
  if (!role.ok()) return role.status();
  User user;
  user.id = stmt.ColumnInt(0);
  user.team_id = stmt.ColumnInt(1);
  user.email = stmt.ColumnText(2);
  user.name = stmt.ColumnText(3);
  user.role = *role;
  user.password_hash = stmt.ColumnText(5);
  user.created_at = FromUnixMillis(stmt.ColumnInt(6));
  return user;
}

StatusOr<SessionRecord> ReadSession(const SqliteDb&, const SqliteStatement& stmt) {
  SessionRecord s;
  s.id_digest_hex = stmt.ColumnText(0);
  s.user_id = stmt.ColumnInt(1);
  s.created_at = FromUnixMillis(stmt.ColumnInt(2));
  s.last_seen_at = FromUnixMillis(stmt.ColumnInt(3));
  s.expires_at = FromUnixMillis(stmt.ColumnInt(4));
  s.revoked_at = OptionalTime(stmt, 5);
  s.client_address = stmt.ColumnText(6);
  s.user_agent = stmt.ColumnText(7);
  return s;
}

StatusOr<Invitation> ReadInvitation(const SqliteDb& db, const SqliteStatement& stmt) {
  auto role = ReadRole(db, stmt, 4);
  if (!role.ok()) return role.status();
  Invitation inv;
  inv.id = stmt.ColumnInt(0);
  inv.team_id = stmt.ColumnInt(1);
  inv.token_digest_hex = stmt.ColumnText(2);
  inv.email = stmt.ColumnText(3);
  inv.role = *role;
  inv.created_by = stmt.ColumnInt(5);
  inv.created_at = FromUnixMillis(stmt.ColumnInt(6));
  inv.expires_at = FromUnixMillis(stmt.ColumnInt(7));
  inv.used_at = OptionalTime(stmt, 8);
  inv.used_by = stmt.ColumnOptionalInt(9);
  return inv;
}

StatusOr<PersonalKey> ReadPersonalKey(const SqliteDb&, const SqliteStatement& stmt) {
  PersonalKey key;
  key.id = stmt.ColumnInt(0);
  key.user_id = stmt.ColumnInt(1);
  key.name = stmt.ColumnText(2);
  key.digest_hex = stmt.ColumnText(3);
  key.created_at = FromUnixMillis(stmt.ColumnInt(4));
  key.last_used_at = OptionalTime(stmt, 5);
  key.expires_at = OptionalTime(stmt, 6);
  key.revoked_at = OptionalTime(stmt, 7);
  return key;
}

// Steps `stmt` to the end, reading every row with `read`.
template <typename T>
StatusOr<std::vector<T>> ReadRows(const SqliteDb& db, SqliteStatement& stmt,
                                  StatusOr<T> (*read)(const SqliteDb&, const SqliteStatement&)) {
  std::vector<T> out;
  for (;;) {
    auto row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    StatusOr<T> item = read(db, stmt);
    if (!item.ok()) return item.status();
    out.push_back(std::move(item).value());
  }
}

// The first row of `stmt` read with `read`, or NotFound(not_found).
template <typename T>
StatusOr<T> ReadFirstRow(const SqliteDb& db, SqliteStatement& stmt,
                         StatusOr<T> (*read)(const SqliteDb&, const SqliteStatement&), std::string not_found) {
  auto row = stmt.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound(std::move(not_found));
  return read(db, stmt);
}

// The helpers below require db.Lock(); those that write are called inside a
// write transaction.

StatusOr<Team> GetTeamLocked(SqliteDb& db, int64_t team_id) {
  auto stmt = SqliteStatement::Prepare(db, std::string("SELECT ") + kTeamColumns + " FROM teams WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, team_id);
  return ReadFirstRow(db, *stmt, &ReadTeam, "no team with id " + std::to_string(team_id));
}

StatusOr<User> GetUserLocked(SqliteDb& db, int64_t user_id) {
  auto stmt = SqliteStatement::Prepare(db, std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, user_id);
  return ReadFirstRow(db, *stmt, &ReadUser, "no user with id " + std::to_string(user_id));
}

// `email` is matched without ASCII case (the column is COLLATE NOCASE).
StatusOr<User> FindUserByEmailLocked(SqliteDb& db, std::string_view email) {
  auto stmt = SqliteStatement::Prepare(db, std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ?");
  if (!stmt.ok()) return stmt.status();
  std::string lower = LowerAscii(email);
  stmt->BindText(1, lower);
  return ReadFirstRow(db, *stmt, &ReadUser, "no user with email " + lower);
}

// Inserts `user` into `team_id` with `role` (not user.role). AlreadyExists if
// the email is taken, NotFound if the team does not exist.
StatusOr<User> InsertUserLocked(SqliteDb& db, int64_t team_id, const NewUser& user, Role role) {
  auto team = GetTeamLocked(db, team_id);
  if (!team.ok()) return team.status();
  std::string email = LowerAscii(user.email);
  auto existing = FindUserByEmailLocked(db, email);
  if (existing.ok()) return Status::AlreadyExists("a user with email " + email + " already exists");
  if (existing.status().code() != Status::Code::kNotFound) return existing.status();
  int64_t id = 0;
  {
    auto stmt = SqliteStatement::Prepare(
        db, "INSERT INTO users(team_id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt(1, team_id);
    stmt->BindText(2, email);
    stmt->BindText(3, user.name);
    stmt->BindText(4, RoleName(role));
    stmt->BindText(5, user.password_hash);
    stmt->BindInt(6, ToUnixMillis(user.created_at));
    OTELSTACK_RETURN_IF_ERROR(stmt->Run().WithContext("create user " + email));
    id = sqlite3_last_insert_rowid(db.handle());
  }
  return GetUserLocked(db, id);
}

// FailedPrecondition if `user` is the only admin of their team, so that
// taking away their role (or them) would leave nobody able to manage it.
Status CheckNotLastAdmin(SqliteDb& db, const User& user, std::string_view action) {
  if (user.role != Role::kAdmin) return Status::OK();
  auto stmt = SqliteStatement::Prepare(db, "SELECT COUNT(*) FROM users WHERE team_id = ? AND role = 'admin'");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, user.team_id);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (*row && stmt->ColumnInt(0) > 1) return Status::OK();
  return Status::FailedPrecondition("cannot " + std::string(action) + " " + user.email +
                                    ": they are the last admin of team " + std::to_string(user.team_id));
}

StatusOr<Invitation> GetInvitationLocked(SqliteDb& db, std::string_view token_digest_hex) {
  auto stmt = SqliteStatement::Prepare(
      db, std::string("SELECT ") + kInvitationColumns + " FROM invitations WHERE token_digest = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, token_digest_hex);
  return ReadFirstRow(db, *stmt, &ReadInvitation, "no such invitation");
}

StatusOr<Invitation> GetInvitationByIdLocked(SqliteDb& db, int64_t id) {
  auto stmt =
      SqliteStatement::Prepare(db, std::string("SELECT ") + kInvitationColumns + " FROM invitations WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, id);
  return ReadFirstRow(db, *stmt, &ReadInvitation, "no invitation with id " + std::to_string(id));
}

StatusOr<PersonalKey> GetPersonalKeyLocked(SqliteDb& db, int64_t key_id) {
  auto stmt =
      SqliteStatement::Prepare(db, std::string("SELECT ") + kPersonalKeyColumns + " FROM personal_keys WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, key_id);
  return ReadFirstRow(db, *stmt, &ReadPersonalKey, "no personal key with id " + std::to_string(key_id));
}

StatusOr<bool> AnyTeamLocked(SqliteDb& db) {
  auto stmt = SqliteStatement::Prepare(db, "SELECT EXISTS (SELECT 1 FROM teams)");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row && stmt->ColumnInt(0) != 0;
}

}  // namespace

// ---- Teams ---------------------------------------------------------------

StatusOr<bool> SqliteIdentityRepository::AnyTeam() {
  auto lock = db_->Lock();
  return AnyTeamLocked(*db_);
}

StatusOr<IdentityRepository::Registered> SqliteIdentityRepository::CreateFirstTeam(const std::string& team_name,
                                                                                   const NewUser& admin) {
  auto lock = db_->Lock();
  // BEGIN IMMEDIATE: the check and the insert hold the write lock together,
  // so of two registrations (in any processes) the second sees the first team.
  auto txn = SqliteTransaction::Begin(*db_, Mode::kWrite);
  if (!txn.ok()) return txn.status();
  auto any = AnyTeamLocked(*db_);
  if (!any.ok()) return any.status();
  if (*any) return Status::AlreadyExists("a team already exists: registration is closed");
  int64_t team_id = 0;
  {
    auto stmt = SqliteStatement::Prepare(*db_, "INSERT INTO teams(name, created_at) VALUES (?, ?)");
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, team_name);
    stmt->BindInt(2, ToUnixMillis(admin.created_at));
    OTELSTACK_RETURN_IF_ERROR(stmt->Run().WithContext("create team"));
    team_id = sqlite3_last_insert_rowid(db_->handle());
  }
  auto team = GetTeamLocked(*db_, team_id);
  if (!team.ok()) return team.status();
  auto user = InsertUserLocked(*db_, team_id, admin, Role::kAdmin);
  if (!user.ok()) return user.status();
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return Registered{.team = std::move(team).value(), .admin = std::move(user).value()};
}

StatusOr<Team> SqliteIdentityRepository::GetTeam(int64_t team_id) {
  auto lock = db_->Lock();
  return GetTeamLocked(*db_, team_id);
}

StatusOr<std::vector<Team>> SqliteIdentityRepository::ListTeams() {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_, std::string("SELECT ") + kTeamColumns + " FROM teams ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  return ReadRows(*db_, *stmt, &ReadTeam);
}

Status SqliteIdentityRepository::RenameTeam(int64_t team_id, const std::string& name) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_, "UPDATE teams SET name = ? WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, name);
  stmt->BindInt(2, team_id);
  OTELSTACK_RETURN_IF_ERROR(stmt->Run());
  if (Changes(*db_) == 0) return Status::NotFound("no team with id " + std::to_string(team_id));
  return Status::OK();
}

// ---- Users ---------------------------------------------------------------

StatusOr<User> SqliteIdentityRepository::CreateUser(int64_t team_id, const NewUser& user) {
  auto lock = db_->Lock();
  auto txn = SqliteTransaction::Begin(*db_, Mode::kWrite);
  if (!txn.ok()) return txn.status();
  auto created = InsertUserLocked(*db_, team_id, user, user.role);
  if (!created.ok()) return created.status();
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return created;
}

StatusOr<User> SqliteIdentityRepository::GetUser(int64_t user_id) {
  auto lock = db_->Lock();
  return GetUserLocked(*db_, user_id);
}

StatusOr<User> SqliteIdentityRepository::FindUserByEmail(std::string_view email) {
  auto lock = db_->Lock();
  return FindUserByEmailLocked(*db_, email);
}

StatusOr<std::vector<User>> SqliteIdentityRepository::ListUsers(int64_t team_id) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(
      *db_, std::string("SELECT ") + kUserColumns + " FROM users WHERE team_id = ? ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, team_id);
  return ReadRows(*db_, *stmt, &ReadUser);
}

Status SqliteIdentityRepository::SetPassword(int64_t user_id, const std::string& password_hash, TimePoint at) {
  auto lock = db_->Lock();
  auto txn = SqliteTransaction::Begin(*db_, Mode::kWrite);
  if (!txn.ok()) return txn.status();
  {
    auto stmt = SqliteStatement::Prepare(*db_, "UPDATE users SET password_hash = ? WHERE id = ?");
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, password_hash);
    stmt->BindInt(2, user_id);
    OTELSTACK_RETURN_IF_ERROR(stmt->Run());
    if (Changes(*db_) == 0) return Status::NotFound("no user with id " + std::to_string(user_id));
  }
  {
    // A changed password ends every session, including one a thief holds.
    auto stmt =
        SqliteStatement::Prepare(*db_, "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt(1, ToUnixMillis(at));
    stmt->BindInt(2, user_id);
    OTELSTACK_RETURN_IF_ERROR(stmt->Run());
  }
  return (*txn)->Commit();
}

Status SqliteIdentityRepository::SetRole(int64_t user_id, Role role) {
  auto lock = db_->Lock();
  auto txn = SqliteTransaction::Begin(*db_, Mode::kWrite);
  if (!txn.ok()) return txn.status();
  auto user = GetUserLocked(*db_, user_id);
  if (!user.ok()) return user.status();
  if (role != Role::kAdmin) OTELSTACK_RETURN_IF_ERROR(CheckNotLastAdmin(*db_, *user, "change the role of"));
  {
    auto stmt = SqliteStatement::Prepare(*db_, "UPDATE users SET role = ? WHERE id = ?");
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, RoleName(role));
    stmt->BindInt(2, user_id);
    OTELSTACK_RETURN_IF_ERROR(stmt->Run());
  }
  return (*txn)->Commit();
}

Status SqliteIdentityRepository::DeleteUser(int64_t user_id) {
  auto lock = db_->Lock();
  auto txn = SqliteTransaction::Begin(*db_, Mode::kWrite);
  if (!txn.ok()) return txn.status();
  auto user = GetUserLocked(*db_, user_id);
  if (!user.ok()) return user.status();
  OTELSTACK_RETURN_IF_ERROR(CheckNotLastAdmin(*db_, *user, "delete"));
  {
    // Sessions and personal keys go with the user (ON DELETE CASCADE).
    auto stmt = SqliteStatement::Prepare(*db_, "DELETE FROM users WHERE id = ?");
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt(1, user_id);
    OTELSTACK_RETURN_IF_ERROR(stmt->Run());
  }
  return (*txn)->Commit();
}

// ---- Sessions ------------------------------------------------------------

Status SqliteIdentityRepository::CreateSession(const SessionRecord& session) {
  auto lock = db_->Lock();
  auto txn = SqliteTransaction::Begin(*db_, Mode::kWrite);
  if (!txn.ok()) return txn.status();
  auto user = GetUserLocked(*db_, session.user_id);
  if (!user.ok()) return user.status();
  {
    auto exists = SqliteStatement::Prepare(*db_, "SELECT 1 FROM sessions WHERE id_digest = ?");
    if (!exists.ok()) return exists.status();
    exists->BindText(1, session.id_digest_hex);
    auto row = exists->Step();
    if (!row.ok()) return row.status();
    if (*row) return Status::AlreadyExists("a session with this id already exists");
  }
  {
    auto stmt = SqliteStatement::Prepare(
        *db_, std::string("INSERT INTO sessions(") + kSessionColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, session.id_digest_hex);
    stmt->BindInt(2, session.user_id);
    stmt->BindInt(3, ToUnixMillis(session.created_at));
    stmt->BindInt(4, ToUnixMillis(session.last_seen_at));
    stmt->BindInt(5, ToUnixMillis(session.expires_at));
    stmt->BindOptionalInt(6, OptionalMillis(session.revoked_at));
    stmt->BindText(7, session.client_address);
    stmt->BindText(8, session.user_agent);
    OTELSTACK_RETURN_IF_ERROR(stmt->Run().WithContext("create session"));
  }
  return (*txn)->Commit();
}

StatusOr<SessionRecord> SqliteIdentityRepository::GetSession(std::string_view id_digest_hex) {
  auto lock = db_->Lock();
  auto stmt =
      SqliteStatement::Prepare(*db_, std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE id_digest = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, id_digest_hex);
  return ReadFirstRow(*db_, *stmt, &ReadSession, "no such session");
}

Status SqliteIdentityRepository::TouchSession(std::string_view id_digest_hex, TimePoint last_seen_at,
                                              TimePoint expires_at) {
  auto lock = db_->Lock();
  auto stmt =
      SqliteStatement::Prepare(*db_, "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_digest = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, ToUnixMillis(last_seen_at));
  stmt->BindInt(2, ToUnixMillis(expires_at));
  stmt->BindText(3, id_digest_hex);
  OTELSTACK_RETURN_IF_ERROR(stmt->Run());
  if (Changes(*db_) == 0) return Status::NotFound("no such session");
  return Status::OK();
}

Status SqliteIdentityRepository::RevokeSession(std::string_view id_digest_hex, TimePoint at) {
  auto lock = db_->Lock();
  // COALESCE keeps the first revocation time; the row still counts as found.
  auto stmt =
      SqliteStatement::Prepare(*db_, "UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE id_digest = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, ToUnixMillis(at));
  stmt->BindText(2, id_digest_hex);
  OTELSTACK_RETURN_IF_ERROR(stmt->Run());
  if (Changes(*db_) == 0) return Status::NotFound("no such session");
  return Status::OK();
}

Status SqliteIdentityRepository::RevokeUserSessions(int64_t user_id, TimePoint at) {
  auto lock = db_->Lock();
  auto stmt =
      SqliteStatement::Prepare(*db_, "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, ToUnixMillis(at));
  stmt->BindInt(2, user_id);
  return stmt->Run();
}

Status SqliteIdentityRepository::DeleteSessionsEndedBefore(TimePoint before) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_, "DELETE FROM sessions WHERE expires_at < ?1 OR revoked_at < ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, ToUnixMillis(before));
  return stmt->Run();
}

// ---- Invitations ---------------------------------------------------------

StatusOr<Invitation> SqliteIdentityRepository::CreateInvitation(const Invitation& invitation) {
  auto lock = db_->Lock();
  auto txn = SqliteTransaction::Begin(*db_, Mode::kWrite);
  if (!txn.ok()) return txn.status();
  auto team = GetTeamLocked(*db_, invitation.team_id);
  if (!team.ok()) return team.status();
  auto existing = GetInvitationLocked(*db_, invitation.token_digest_hex);
  if (existing.ok()) return Status::AlreadyExists("an invitation with this token already exists");
  if (existing.status().code() != Status::Code::kNotFound) return existing.status();
  int64_t id = 0;
  {
    auto stmt =
        SqliteStatement::Prepare(*db_,
                                 "INSERT INTO invitations(team_id, token_digest, email, role, created_by, "
                                 "created_at, expires_at, used_at, used_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt(1, invitation.team_id);
    stmt->BindText(2, invitation.token_digest_hex);
    stmt->BindText(3, LowerAscii(invitation.email));
    stmt->BindText(4, RoleName(invitation.role));
    stmt->BindInt(5, invitation.created_by);
    stmt->BindInt(6, ToUnixMillis(invitation.created_at));
    stmt->BindInt(7, ToUnixMillis(invitation.expires_at));
    stmt->BindOptionalInt(8, OptionalMillis(invitation.used_at));
    stmt->BindOptionalInt(9, invitation.used_by);
    OTELSTACK_RETURN_IF_ERROR(stmt->Run().WithContext("create invitation"));
    id = sqlite3_last_insert_rowid(db_->handle());
  }
  auto created = GetInvitationByIdLocked(*db_, id);
  if (!created.ok()) return created.status();
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return created;
}

StatusOr<std::vector<Invitation>> SqliteIdentityRepository::ListInvitations(int64_t team_id) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(
      *db_, std::string("SELECT ") + kInvitationColumns + " FROM invitations WHERE team_id = ? ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, team_id);
  return ReadRows(*db_, *stmt, &ReadInvitation);
}

StatusOr<Invitation> SqliteIdentityRepository::GetInvitationByToken(std::string_view token_digest_hex) {
  auto lock = db_->Lock();
  return GetInvitationLocked(*db_, token_digest_hex);
}

StatusOr<User> SqliteIdentityRepository::AcceptInvitation(std::string_view token_digest_hex, const NewUser& user) {
  auto lock = db_->Lock();
  // One write transaction: of two acceptances of the same link, the second
  // sees used_at set by the first.
  auto txn = SqliteTransaction::Begin(*db_, Mode::kWrite);
  if (!txn.ok()) return txn.status();
  auto inv = GetInvitationLocked(*db_, token_digest_hex);
  if (!inv.ok()) return inv.status();
  if (inv->used_at) return Status::FailedPrecondition("invitation already used");
  if (user.created_at >= inv->expires_at) return Status::FailedPrecondition("invitation expired");
  auto created = InsertUserLocked(*db_, inv->team_id, user, inv->role);
  if (!created.ok()) return created.status();
  {
    auto stmt = SqliteStatement::Prepare(*db_, "UPDATE invitations SET used_at = ?, used_by = ? WHERE id = ?");
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt(1, ToUnixMillis(user.created_at));
    stmt->BindInt(2, created->id);
    stmt->BindInt(3, inv->id);
    OTELSTACK_RETURN_IF_ERROR(stmt->Run());
  }
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return created;
}

Status SqliteIdentityRepository::DeleteInvitation(int64_t team_id, int64_t invitation_id) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_, "DELETE FROM invitations WHERE id = ? AND team_id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, invitation_id);
  stmt->BindInt(2, team_id);
  OTELSTACK_RETURN_IF_ERROR(stmt->Run());
  if (Changes(*db_) == 0) return Status::NotFound("no invitation with id " + std::to_string(invitation_id));
  return Status::OK();
}

// ---- Personal access keys ------------------------------------------------

StatusOr<PersonalKey> SqliteIdentityRepository::CreatePersonalKey(const PersonalKey& key,
                                                                  std::optional<Retirement> retire) {
  auto lock = db_->Lock();
  auto txn = SqliteTransaction::Begin(*db_, Mode::kWrite);
  if (!txn.ok()) return txn.status();
  auto user = GetUserLocked(*db_, key.user_id);
  if (!user.ok()) return user.status();
  {
    auto exists = SqliteStatement::Prepare(*db_, "SELECT 1 FROM personal_keys WHERE digest = ?");
    if (!exists.ok()) return exists.status();
    exists->BindText(1, key.digest_hex);
    auto row = exists->Step();
    if (!row.ok()) return row.status();
    // Two principals must never share a secret: digests are unique.
    if (*row) return Status::AlreadyExists("a personal key with this digest already exists");
  }
  if (retire) {
    auto stmt = SqliteStatement::Prepare(
        *db_, "UPDATE personal_keys SET expires_at = MIN(COALESCE(expires_at, ?1), ?1) WHERE id = ?2 AND user_id = ?3");
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt(1, ToUnixMillis(retire->expires_at));
    stmt->BindInt(2, retire->id);
    stmt->BindInt(3, key.user_id);
    OTELSTACK_RETURN_IF_ERROR(stmt->Run());
    if (Changes(*db_) == 0) {
      return Status::NotFound("user " + std::to_string(key.user_id) + " has no personal key with id " +
                              std::to_string(retire->id));
    }
  }
  int64_t id = 0;
  {
    auto stmt = SqliteStatement::Prepare(*db_,
                                         "INSERT INTO personal_keys(user_id, name, digest, created_at, last_used_at, "
                                         "expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt(1, key.user_id);
    stmt->BindText(2, key.name);
    stmt->BindText(3, key.digest_hex);
    stmt->BindInt(4, ToUnixMillis(key.created_at));
    stmt->BindOptionalInt(5, OptionalMillis(key.last_used_at));
    stmt->BindOptionalInt(6, OptionalMillis(key.expires_at));
    stmt->BindOptionalInt(7, OptionalMillis(key.revoked_at));
    OTELSTACK_RETURN_IF_ERROR(stmt->Run().WithContext("create personal key"));
    id = sqlite3_last_insert_rowid(db_->handle());
  }
  auto created = GetPersonalKeyLocked(*db_, id);
  if (!created.ok()) return created.status();
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return created;
}

StatusOr<PersonalKey> SqliteIdentityRepository::FindPersonalKeyByDigest(std::string_view digest_hex) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(
      *db_, std::string("SELECT ") + kPersonalKeyColumns + " FROM personal_keys WHERE digest = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, digest_hex);
  return ReadFirstRow(*db_, *stmt, &ReadPersonalKey, "no such personal key");
}

StatusOr<std::vector<PersonalKey>> SqliteIdentityRepository::ListPersonalKeys(int64_t user_id) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(
      *db_, std::string("SELECT ") + kPersonalKeyColumns + " FROM personal_keys WHERE user_id = ? ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, user_id);
  return ReadRows(*db_, *stmt, &ReadPersonalKey);
}

Status SqliteIdentityRepository::RevokePersonalKey(int64_t user_id, int64_t key_id, TimePoint at) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(
      *db_, "UPDATE personal_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND user_id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, ToUnixMillis(at));
  stmt->BindInt(2, key_id);
  stmt->BindInt(3, user_id);
  OTELSTACK_RETURN_IF_ERROR(stmt->Run());
  if (Changes(*db_) == 0) {
    return Status::NotFound("user " + std::to_string(user_id) + " has no personal key with id " +
                            std::to_string(key_id));
  }
  return Status::OK();
}

Status SqliteIdentityRepository::TouchPersonalKey(int64_t key_id, TimePoint at) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(
      *db_, "UPDATE personal_keys SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?1)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, ToUnixMillis(at));
  stmt->BindInt(2, key_id);
  return stmt->Run();
}

// ---- Team settings -------------------------------------------------------

StatusOr<std::optional<std::string>> SqliteIdentityRepository::GetTeamSetting(int64_t team_id, std::string_view name) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_, "SELECT value FROM team_settings WHERE team_id = ? AND name = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, team_id);
  stmt->BindText(2, name);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(stmt->ColumnText(0));
}

Status SqliteIdentityRepository::SetTeamSetting(int64_t team_id, std::string_view name, std::string_view json_value) {
  auto lock = db_->Lock();
  auto txn = SqliteTransaction::Begin(*db_, Mode::kWrite);
  if (!txn.ok()) return txn.status();
  auto team = GetTeamLocked(*db_, team_id);
  if (!team.ok()) return team.status();
  {
    auto stmt = SqliteStatement::Prepare(*db_,
                                         "INSERT INTO team_settings(team_id, name, value) VALUES (?1, ?2, ?3) "
                                         "ON CONFLICT(team_id, name) DO UPDATE SET value = ?3");
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt(1, team_id);
    stmt->BindText(2, name);
    stmt->BindText(3, json_value);
    OTELSTACK_RETURN_IF_ERROR(stmt->Run().WithContext("store team setting " + std::string(name)));
  }
  return (*txn)->Commit();
}

}  // namespace otelstack::meta

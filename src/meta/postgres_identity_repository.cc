#include "meta/postgres_identity_repository.h"

#include <string>
#include <utility>

#include "meta/sqlite_db.h"  // ToUnixMillis, FromUnixMillis

namespace otelstack::meta {

namespace {

constexpr char kTeamColumns[] = "id, name, created_at";
constexpr char kUserColumns[] = "id, team_id, email, name, role, password_hash, created_at";
constexpr char kSessionColumns[] =
    "id_digest, user_id, created_at, last_seen_at, expires_at, revoked_at, client_address, user_agent";
constexpr char kInvitationColumns[] =
    "id, team_id, token_digest, email, role, created_by, created_at, expires_at, used_at, used_by";
constexpr char kPersonalKeyColumns[] = "id, user_id, name, digest, created_at, last_used_at, expires_at, revoked_at";

constexpr PgLockDomain kLock = PgLockDomain::kIdentity;

std::string Select(const char* columns, std::string_view rest) {
  return std::string("SELECT ") + columns + " " + std::string(rest);
}

// Emails are compared without ASCII case; non-ASCII bytes are kept as given.
std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<TimePoint> OptionalTime(const PgResult& r, int row, int col) {
  std::optional<int64_t> ms = r.OptionalInt(row, col);
  if (!ms) return std::nullopt;
  return FromUnixMillis(*ms);
}

std::optional<int64_t> OptionalMillis(std::optional<TimePoint> t) {
  if (!t) return std::nullopt;
  return ToUnixMillis(*t);
}

StatusOr<Role> ReadRole(const PostgresDb& db, const PgResult& r, int row, int col) {
  std::string name = r.Text(row, col);
  std::optional<Role> role = ParseRole(name);
  if (!role) return Status::Corruption(db.description() + ": unknown role '" + name + "'");
  return *role;
}

// Row readers for the column lists above.

StatusOr<Team> ReadTeam(const PostgresDb&, const PgResult& r, int row) {
  return Team{.id = r.Int(row, 0), .name = r.Text(row, 1), .created_at = FromUnixMillis(r.Int(row, 2))};
}

StatusOr<User> ReadUser(const PostgresDb& db, const PgResult& r, int row) {
  auto role = ReadRole(db, r, row, 4);
  if (!role.ok()) return role.status();
  User user;
  user.id = r.Int(row, 0);
  user.team_id = r.Int(row, 1);
  user.email = r.Text(row, 2);
  user.name = r.Text(row, 3);
  user.role = *role;
  user.password_hash = r.Text(row, 5);
  user.created_at = FromUnixMillis(r.Int(row, 6));
  return user;
}

StatusOr<SessionRecord> ReadSession(const PostgresDb&, const PgResult& r, int row) {
  SessionRecord s;
  s.id_digest_hex = r.Text(row, 0);
  s.user_id = r.Int(row, 1);
  s.created_at = FromUnixMillis(r.Int(row, 2));
  s.last_seen_at = FromUnixMillis(r.Int(row, 3));
  s.expires_at = FromUnixMillis(r.Int(row, 4));
  s.revoked_at = OptionalTime(r, row, 5);
  s.client_address = r.Text(row, 6);
  s.user_agent = r.Text(row, 7);
  return s;
}

StatusOr<Invitation> ReadInvitation(const PostgresDb& db, const PgResult& r, int row) {
  auto role = ReadRole(db, r, row, 4);
  if (!role.ok()) return role.status();
  Invitation inv;
  inv.id = r.Int(row, 0);
  inv.team_id = r.Int(row, 1);
  inv.token_digest_hex = r.Text(row, 2);
  inv.email = r.Text(row, 3);
  inv.role = *role;
  inv.created_by = r.Int(row, 5);
  inv.created_at = FromUnixMillis(r.Int(row, 6));
  inv.expires_at = FromUnixMillis(r.Int(row, 7));
  inv.used_at = OptionalTime(r, row, 8);
  inv.used_by = r.OptionalInt(row, 9);
  return inv;
}

StatusOr<PersonalKey> ReadPersonalKey(const PostgresDb&, const PgResult& r, int row) {
  PersonalKey key;
  key.id = r.Int(row, 0);
  key.user_id = r.Int(row, 1);
  key.name = r.Text(row, 2);
  key.digest_hex = r.Text(row, 3);
  key.created_at = FromUnixMillis(r.Int(row, 4));
  key.last_used_at = OptionalTime(r, row, 5);
  key.expires_at = OptionalTime(r, row, 6);
  key.revoked_at = OptionalTime(r, row, 7);
  return key;
}

template <typename T>
using RowReader = StatusOr<T> (*)(const PostgresDb&, const PgResult&, int);

// Runs `sql` and reads every row with `read`.
template <typename T>
StatusOr<std::vector<T>> QueryRows(PostgresDb& db, std::string_view sql, const PgParams& params, RowReader<T> read) {
  auto r = db.Exec(sql, params);
  if (!r.ok()) return r.status();
  std::vector<T> out;
  for (int i = 0; i < r->rows(); ++i) {
    StatusOr<T> item = read(db, *r, i);
    if (!item.ok()) return item.status();
    out.push_back(std::move(item).value());
  }
  return out;
}

// Runs `sql` and reads its first row with `read`, or NotFound(not_found).
template <typename T>
StatusOr<T> QueryFirstRow(PostgresDb& db, std::string_view sql, const PgParams& params, RowReader<T> read,
                          std::string not_found) {
  auto r = db.Exec(sql, params);
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return Status::NotFound(std::move(not_found));
  return read(db, *r, 0);
}

// Runs a statement that changes rows; *affected gets how many.
Status Run(PostgresDb& db, std::string_view sql, const PgParams& params, int64_t* affected = nullptr,
           std::string_view context = {}) {
  auto r = db.Exec(sql, params);
  if (!r.ok()) return context.empty() ? r.status() : r.status().WithContext(context);
  if (affected != nullptr) *affected = r->affected();
  return Status::OK();
}

// The helpers below require db.Lock(); those that write are called inside a
// transaction holding the identity lock.

StatusOr<Team> GetTeamLocked(PostgresDb& db, int64_t team_id) {
  return QueryFirstRow(db, Select(kTeamColumns, "FROM teams WHERE id = $1"), PgParams().Int(team_id), &ReadTeam,
                       "no team with id " + std::to_string(team_id));
}

StatusOr<User> GetUserLocked(PostgresDb& db, int64_t user_id) {
  return QueryFirstRow(db, Select(kUserColumns, "FROM users WHERE id = $1"), PgParams().Int(user_id), &ReadUser,
                       "no user with id " + std::to_string(user_id));
}

// `email` is matched without ASCII case (the unique index is on
// otelstack_ascii_lower(email), which this uses).
StatusOr<User> FindUserByEmailLocked(PostgresDb& db, std::string_view email) {
  std::string lower = LowerAscii(email);
  return QueryFirstRow(db, Select(kUserColumns, "FROM users WHERE otelstack_ascii_lower(email) = $1"),
                       PgParams().Text(lower), &ReadUser, "no user with email " + lower);
}

// Inserts `user` into `team_id` with `role` (not user.role). AlreadyExists if
// the email is taken, NotFound if the team does not exist.
StatusOr<User> InsertUserLocked(PostgresDb& db, int64_t team_id, const NewUser& user, Role role) {
  auto team = GetTeamLocked(db, team_id);
  if (!team.ok()) return team.status();
  std::string email = LowerAscii(user.email);
  auto existing = FindUserByEmailLocked(db, email);
  if (existing.ok()) return Status::AlreadyExists("a user with email " + email + " already exists");
  if (existing.status().code() != Status::Code::kNotFound) return existing.status();
  auto r = db.Exec(std::string("INSERT INTO users(team_id, email, name, role, password_hash, created_at) "
                               "VALUES ($1, $2, $3, $4, $5, $6) RETURNING ") +
                       kUserColumns,
                   PgParams()
                       .Int(team_id)
                       .Text(email)
                       .Text(user.name)
                       .Text(RoleName(role))
                       .Text(user.password_hash)
                       .Int(ToUnixMillis(user.created_at)));
  if (!r.ok()) return r.status().WithContext("create user " + email);
  return ReadUser(db, *r, 0);
}

// FailedPrecondition if `user` is the only admin of their team, so that
// taking away their role (or them) would leave nobody able to manage it.
Status CheckNotLastAdmin(PostgresDb& db, const User& user, std::string_view action) {
  if (user.role != Role::kAdmin) return Status::OK();
  auto r = db.Exec("SELECT COUNT(*) FROM users WHERE team_id = $1 AND role = 'admin'", PgParams().Int(user.team_id));
  if (!r.ok()) return r.status();
  if (r->rows() > 0 && r->Int(0, 0) > 1) return Status::OK();
  return Status::FailedPrecondition("cannot " + std::string(action) + " " + user.email +
                                    ": they are the last admin of team " + std::to_string(user.team_id));
}

StatusOr<Invitation> GetInvitationLocked(PostgresDb& db, std::string_view token_digest_hex) {
  return QueryFirstRow(db, Select(kInvitationColumns, "FROM invitations WHERE token_digest = $1"),
                       PgParams().Text(token_digest_hex), &ReadInvitation, "no such invitation");
}

StatusOr<bool> AnyTeamLocked(PostgresDb& db) {
  auto r = db.Exec("SELECT EXISTS (SELECT 1 FROM teams)");
  if (!r.ok()) return r.status();
  return r->rows() > 0 && r->Text(0, 0) == "t";
}

}  // namespace

// ---- Teams ---------------------------------------------------------------

StatusOr<bool> PostgresIdentityRepository::AnyTeam() {
  auto lock = db_->Lock();
  return AnyTeamLocked(*db_);
}

StatusOr<IdentityRepository::Registered> PostgresIdentityRepository::CreateFirstTeam(const std::string& team_name,
                                                                                     const NewUser& admin) {
  auto lock = db_->Lock();
  // The identity lock makes the check and the insert one step for every
  // replica: of two registrations, the second sees the first team.
  auto txn = PgTransaction::Begin(*db_, kLock);
  if (!txn.ok()) return txn.status();
  auto any = AnyTeamLocked(*db_);
  if (!any.ok()) return any.status();
  if (*any) return Status::AlreadyExists("a team already exists: registration is closed");
  auto team = QueryFirstRow(
      *db_, std::string("INSERT INTO teams(name, created_at) VALUES ($1, $2) RETURNING ") + kTeamColumns,
      PgParams().Text(team_name).Int(ToUnixMillis(admin.created_at)), &ReadTeam, "create team returned no row");
  if (!team.ok()) return team.status().WithContext("create team");
  auto user = InsertUserLocked(*db_, team->id, admin, Role::kAdmin);
  if (!user.ok()) return user.status();
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return Registered{.team = std::move(team).value(), .admin = std::move(user).value()};
}

StatusOr<Team> PostgresIdentityRepository::GetTeam(int64_t team_id) {
  auto lock = db_->Lock();
  return GetTeamLocked(*db_, team_id);
}

StatusOr<std::vector<Team>> PostgresIdentityRepository::ListTeams() {
  auto lock = db_->Lock();
  return QueryRows(*db_, Select(kTeamColumns, "FROM teams ORDER BY id"), PgParams(), &ReadTeam);
}

Status PostgresIdentityRepository::RenameTeam(int64_t team_id, const std::string& name) {
  auto lock = db_->Lock();
  int64_t changed = 0;
  OTELSTACK_RETURN_IF_ERROR(
      Run(*db_, "UPDATE teams SET name = $1 WHERE id = $2", PgParams().Text(name).Int(team_id), &changed));
  if (changed == 0) return Status::NotFound("no team with id " + std::to_string(team_id));
  return Status::OK();
}

// ---- Users ---------------------------------------------------------------

StatusOr<User> PostgresIdentityRepository::CreateUser(int64_t team_id, const NewUser& user) {
  auto lock = db_->Lock();
  auto txn = PgTransaction::Begin(*db_, kLock);
  if (!txn.ok()) return txn.status();
  auto created = InsertUserLocked(*db_, team_id, user, user.role);
  if (!created.ok()) return created.status();
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return created;
}

StatusOr<User> PostgresIdentityRepository::GetUser(int64_t user_id) {
  auto lock = db_->Lock();
  return GetUserLocked(*db_, user_id);
}

StatusOr<User> PostgresIdentityRepository::FindUserByEmail(std::string_view email) {
  auto lock = db_->Lock();
  return FindUserByEmailLocked(*db_, email);
}

StatusOr<std::vector<User>> PostgresIdentityRepository::ListUsers(int64_t team_id) {
  auto lock = db_->Lock();
  return QueryRows(*db_, Select(kUserColumns, "FROM users WHERE team_id = $1 ORDER BY id"), PgParams().Int(team_id),
                   &ReadUser);
}

Status PostgresIdentityRepository::SetPassword(int64_t user_id, const std::string& password_hash, TimePoint at) {
  auto lock = db_->Lock();
  // Under the identity lock, so a session created concurrently is either
  // before the change (and revoked here) or after it.
  auto txn = PgTransaction::Begin(*db_, kLock);
  if (!txn.ok()) return txn.status();
  int64_t changed = 0;
  OTELSTACK_RETURN_IF_ERROR(Run(*db_, "UPDATE users SET password_hash = $1 WHERE id = $2",
                                PgParams().Text(password_hash).Int(user_id), &changed));
  if (changed == 0) return Status::NotFound("no user with id " + std::to_string(user_id));
  // A changed password ends every session, including one a thief holds.
  OTELSTACK_RETURN_IF_ERROR(Run(*db_, "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
                                PgParams().Int(ToUnixMillis(at)).Int(user_id)));
  return (*txn)->Commit();
}

Status PostgresIdentityRepository::SetRole(int64_t user_id, Role role) {
  auto lock = db_->Lock();
  auto txn = PgTransaction::Begin(*db_, kLock);
  if (!txn.ok()) return txn.status();
  auto user = GetUserLocked(*db_, user_id);
  if (!user.ok()) return user.status();
  if (role != Role::kAdmin) OTELSTACK_RETURN_IF_ERROR(CheckNotLastAdmin(*db_, *user, "change the role of"));
  OTELSTACK_RETURN_IF_ERROR(
      Run(*db_, "UPDATE users SET role = $1 WHERE id = $2", PgParams().Text(RoleName(role)).Int(user_id)));
  return (*txn)->Commit();
}

Status PostgresIdentityRepository::DeleteUser(int64_t user_id) {
  auto lock = db_->Lock();
  auto txn = PgTransaction::Begin(*db_, kLock);
  if (!txn.ok()) return txn.status();
  auto user = GetUserLocked(*db_, user_id);
  if (!user.ok()) return user.status();
  OTELSTACK_RETURN_IF_ERROR(CheckNotLastAdmin(*db_, *user, "delete"));
  // Sessions and personal keys go with the user (ON DELETE CASCADE).
  OTELSTACK_RETURN_IF_ERROR(Run(*db_, "DELETE FROM users WHERE id = $1", PgParams().Int(user_id)));
  return (*txn)->Commit();
}

// ---- Sessions ------------------------------------------------------------

Status PostgresIdentityRepository::CreateSession(const SessionRecord& session) {
  auto lock = db_->Lock();
  auto txn = PgTransaction::Begin(*db_, kLock);
  if (!txn.ok()) return txn.status();
  auto user = GetUserLocked(*db_, session.user_id);
  if (!user.ok()) return user.status();
  {
    auto exists = db_->Exec("SELECT 1 FROM sessions WHERE id_digest = $1", PgParams().Text(session.id_digest_hex));
    if (!exists.ok()) return exists.status();
    if (exists->rows() > 0) return Status::AlreadyExists("a session with this id already exists");
  }
  OTELSTACK_RETURN_IF_ERROR(
      Run(*db_, std::string("INSERT INTO sessions(") + kSessionColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          PgParams()
              .Text(session.id_digest_hex)
              .Int(session.user_id)
              .Int(ToUnixMillis(session.created_at))
              .Int(ToUnixMillis(session.last_seen_at))
              .Int(ToUnixMillis(session.expires_at))
              .OptionalInt(OptionalMillis(session.revoked_at))
              .Text(session.client_address)
              .Text(session.user_agent),
          nullptr, "create session"));
  return (*txn)->Commit();
}

StatusOr<SessionRecord> PostgresIdentityRepository::GetSession(std::string_view id_digest_hex) {
  auto lock = db_->Lock();
  return QueryFirstRow(*db_, Select(kSessionColumns, "FROM sessions WHERE id_digest = $1"),
                       PgParams().Text(id_digest_hex), &ReadSession, "no such session");
}

Status PostgresIdentityRepository::TouchSession(std::string_view id_digest_hex, TimePoint last_seen_at,
                                                TimePoint expires_at) {
  auto lock = db_->Lock();
  int64_t changed = 0;
  OTELSTACK_RETURN_IF_ERROR(
      Run(*db_, "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_digest = $3",
          PgParams().Int(ToUnixMillis(last_seen_at)).Int(ToUnixMillis(expires_at)).Text(id_digest_hex), &changed));
  if (changed == 0) return Status::NotFound("no such session");
  return Status::OK();
}

Status PostgresIdentityRepository::RevokeSession(std::string_view id_digest_hex, TimePoint at) {
  auto lock = db_->Lock();
  // COALESCE keeps the first revocation time; the row still counts as found.
  int64_t changed = 0;
  OTELSTACK_RETURN_IF_ERROR(Run(*db_, "UPDATE sessions SET revoked_at = COALESCE(revoked_at, $1) WHERE id_digest = $2",
                                PgParams().Int(ToUnixMillis(at)).Text(id_digest_hex), &changed));
  if (changed == 0) return Status::NotFound("no such session");
  return Status::OK();
}

Status PostgresIdentityRepository::RevokeUserSessions(int64_t user_id, TimePoint at) {
  auto lock = db_->Lock();
  return Run(*db_, "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
             PgParams().Int(ToUnixMillis(at)).Int(user_id));
}

Status PostgresIdentityRepository::DeleteSessionsEndedBefore(TimePoint before) {
  auto lock = db_->Lock();
  return Run(*db_, "DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1",
             PgParams().Int(ToUnixMillis(before)));
}

// ---- Invitations ---------------------------------------------------------

StatusOr<Invitation> PostgresIdentityRepository::CreateInvitation(const Invitation& invitation) {
  auto lock = db_->Lock();
  auto txn = PgTransaction::Begin(*db_, kLock);
  if (!txn.ok()) return txn.status();
  auto team = GetTeamLocked(*db_, invitation.team_id);
  if (!team.ok()) return team.status();
  auto existing = GetInvitationLocked(*db_, invitation.token_digest_hex);
  if (existing.ok()) return Status::AlreadyExists("an invitation with this token already exists");
  if (existing.status().code() != Status::Code::kNotFound) return existing.status();
  auto created = QueryFirstRow(*db_,
                               std::string("INSERT INTO invitations(team_id, token_digest, email, role, created_by, "
                                           "created_at, expires_at, used_at, used_by) "
                                           "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ") +
                                   kInvitationColumns,
                               PgParams()
                                   .Int(invitation.team_id)
                                   .Text(invitation.token_digest_hex)
                                   .Text(LowerAscii(invitation.email))
                                   .Text(RoleName(invitation.role))
                                   .Int(invitation.created_by)
                                   .Int(ToUnixMillis(invitation.created_at))
                                   .Int(ToUnixMillis(invitation.expires_at))
                                   .OptionalInt(OptionalMillis(invitation.used_at))
                                   .OptionalInt(invitation.used_by),
                               &ReadInvitation, "create invitation returned no row");
  if (!created.ok()) return created.status().WithContext("create invitation");
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return created;
}

StatusOr<std::vector<Invitation>> PostgresIdentityRepository::ListInvitations(int64_t team_id) {
  auto lock = db_->Lock();
  return QueryRows(*db_, Select(kInvitationColumns, "FROM invitations WHERE team_id = $1 ORDER BY id"),
                   PgParams().Int(team_id), &ReadInvitation);
}

StatusOr<Invitation> PostgresIdentityRepository::GetInvitationByToken(std::string_view token_digest_hex) {
  auto lock = db_->Lock();
  return GetInvitationLocked(*db_, token_digest_hex);
}

StatusOr<User> PostgresIdentityRepository::AcceptInvitation(std::string_view token_digest_hex, const NewUser& user) {
  auto lock = db_->Lock();
  // Under the identity lock: of two acceptances of the same link, the second
  // sees used_at set by the first.
  auto txn = PgTransaction::Begin(*db_, kLock);
  if (!txn.ok()) return txn.status();
  auto inv = GetInvitationLocked(*db_, token_digest_hex);
  if (!inv.ok()) return inv.status();
  if (inv->used_at) return Status::FailedPrecondition("invitation already used");
  if (user.created_at >= inv->expires_at) return Status::FailedPrecondition("invitation expired");
  auto created = InsertUserLocked(*db_, inv->team_id, user, inv->role);
  if (!created.ok()) return created.status();
  OTELSTACK_RETURN_IF_ERROR(Run(*db_, "UPDATE invitations SET used_at = $1, used_by = $2 WHERE id = $3",
                                PgParams().Int(ToUnixMillis(user.created_at)).Int(created->id).Int(inv->id)));
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return created;
}

Status PostgresIdentityRepository::DeleteInvitation(int64_t team_id, int64_t invitation_id) {
  auto lock = db_->Lock();
  int64_t changed = 0;
  OTELSTACK_RETURN_IF_ERROR(Run(*db_, "DELETE FROM invitations WHERE id = $1 AND team_id = $2",
                                PgParams().Int(invitation_id).Int(team_id), &changed));
  if (changed == 0) return Status::NotFound("no invitation with id " + std::to_string(invitation_id));
  return Status::OK();
}

// ---- Personal access keys ------------------------------------------------

StatusOr<PersonalKey> PostgresIdentityRepository::CreatePersonalKey(const PersonalKey& key,
                                                                    std::optional<Retirement> retire) {
  auto lock = db_->Lock();
  auto txn = PgTransaction::Begin(*db_, kLock);
  if (!txn.ok()) return txn.status();
  auto user = GetUserLocked(*db_, key.user_id);
  if (!user.ok()) return user.status();
  {
    auto exists = db_->Exec("SELECT 1 FROM personal_keys WHERE digest = $1", PgParams().Text(key.digest_hex));
    if (!exists.ok()) return exists.status();
    // Two principals must never share a secret: digests are unique.
    if (exists->rows() > 0) return Status::AlreadyExists("a personal key with this digest already exists");
  }
  if (retire) {
    int64_t changed = 0;
    OTELSTACK_RETURN_IF_ERROR(
        Run(*db_,
            "UPDATE personal_keys SET expires_at = LEAST(COALESCE(expires_at, $1), $1) WHERE id = $2 AND user_id = $3",
            PgParams().Int(ToUnixMillis(retire->expires_at)).Int(retire->id).Int(key.user_id), &changed));
    if (changed == 0) {
      return Status::NotFound("user " + std::to_string(key.user_id) + " has no personal key with id " +
                              std::to_string(retire->id));
    }
  }
  auto created = QueryFirstRow(*db_,
                               std::string("INSERT INTO personal_keys(user_id, name, digest, created_at, last_used_at, "
                                           "expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ") +
                                   kPersonalKeyColumns,
                               PgParams()
                                   .Int(key.user_id)
                                   .Text(key.name)
                                   .Text(key.digest_hex)
                                   .Int(ToUnixMillis(key.created_at))
                                   .OptionalInt(OptionalMillis(key.last_used_at))
                                   .OptionalInt(OptionalMillis(key.expires_at))
                                   .OptionalInt(OptionalMillis(key.revoked_at)),
                               &ReadPersonalKey, "create personal key returned no row");
  if (!created.ok()) return created.status().WithContext("create personal key");
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return created;
}

StatusOr<PersonalKey> PostgresIdentityRepository::FindPersonalKeyByDigest(std::string_view digest_hex) {
  auto lock = db_->Lock();
  return QueryFirstRow(*db_, Select(kPersonalKeyColumns, "FROM personal_keys WHERE digest = $1"),
                       PgParams().Text(digest_hex), &ReadPersonalKey, "no such personal key");
}

StatusOr<std::vector<PersonalKey>> PostgresIdentityRepository::ListPersonalKeys(int64_t user_id) {
  auto lock = db_->Lock();
  return QueryRows(*db_, Select(kPersonalKeyColumns, "FROM personal_keys WHERE user_id = $1 ORDER BY id"),
                   PgParams().Int(user_id), &ReadPersonalKey);
}

Status PostgresIdentityRepository::RevokePersonalKey(int64_t user_id, int64_t key_id, TimePoint at) {
  auto lock = db_->Lock();
  int64_t changed = 0;
  OTELSTACK_RETURN_IF_ERROR(
      Run(*db_, "UPDATE personal_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND user_id = $3",
          PgParams().Int(ToUnixMillis(at)).Int(key_id).Int(user_id), &changed));
  if (changed == 0) {
    return Status::NotFound("user " + std::to_string(user_id) + " has no personal key with id " +
                            std::to_string(key_id));
  }
  return Status::OK();
}

Status PostgresIdentityRepository::TouchPersonalKey(int64_t key_id, TimePoint at) {
  auto lock = db_->Lock();
  return Run(*db_,
             "UPDATE personal_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)",
             PgParams().Int(ToUnixMillis(at)).Int(key_id));
}

// ---- Team settings -------------------------------------------------------

StatusOr<std::optional<std::string>> PostgresIdentityRepository::GetTeamSetting(int64_t team_id,
                                                                                std::string_view name) {
  auto lock = db_->Lock();
  auto r =
      db_->Exec("SELECT value FROM team_settings WHERE team_id = $1 AND name = $2", PgParams().Int(team_id).Text(name));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(r->Text(0, 0));
}

Status PostgresIdentityRepository::SetTeamSetting(int64_t team_id, std::string_view name, std::string_view json_value) {
  auto lock = db_->Lock();
  auto txn = PgTransaction::Begin(*db_, kLock);
  if (!txn.ok()) return txn.status();
  auto team = GetTeamLocked(*db_, team_id);
  if (!team.ok()) return team.status();
  OTELSTACK_RETURN_IF_ERROR(Run(*db_,
                                "INSERT INTO team_settings(team_id, name, value) VALUES ($1, $2, $3) "
                                "ON CONFLICT (team_id, name) DO UPDATE SET value = EXCLUDED.value",
                                PgParams().Int(team_id).Text(name).Text(json_value), nullptr,
                                "store team setting " + std::string(name)));
  return (*txn)->Commit();
}

}  // namespace otelstack::meta

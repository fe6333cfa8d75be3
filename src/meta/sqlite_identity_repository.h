// IdentityRepository on the meta.db SQLite connection (schema: migration 3 in
// migrations.cc). Each method holds the connection's lock for its whole
// statement or transaction; methods that check before they write (first team,
// unique email, last admin, unused invitation) do both in one BEGIN IMMEDIATE
// transaction, so another process using the same file cannot interleave.
#pragma once

#include "meta/identity_repository.h"
#include "meta/sqlite_db.h"

namespace otelstack::meta {

class SqliteIdentityRepository : public IdentityRepository {
 public:
  // `db` must outlive this object.
  explicit SqliteIdentityRepository(SqliteDb* db) : db_(db) {}

  StatusOr<bool> AnyTeam() override;
  StatusOr<Registered> CreateFirstTeam(const std::string& team_name, const NewUser& admin) override;
  StatusOr<Team> GetTeam(int64_t team_id) override;
  StatusOr<std::vector<Team>> ListTeams() override;
  Status RenameTeam(int64_t team_id, const std::string& name) override;

  StatusOr<User> CreateUser(int64_t team_id, const NewUser& user) override;
  StatusOr<User> GetUser(int64_t user_id) override;
  StatusOr<User> FindUserByEmail(std::string_view email) override;
  StatusOr<std::vector<User>> ListUsers(int64_t team_id) override;
  Status SetPassword(int64_t user_id, const std::string& password_hash, TimePoint at) override;
  Status SetRole(int64_t user_id, Role role) override;
  Status DeleteUser(int64_t user_id) override;

  Status CreateSession(const SessionRecord& session) override;
  StatusOr<SessionRecord> GetSession(std::string_view id_digest_hex) override;
  Status TouchSession(std::string_view id_digest_hex, TimePoint last_seen_at, TimePoint expires_at) override;
  Status RevokeSession(std::string_view id_digest_hex, TimePoint at) override;
  Status RevokeUserSessions(int64_t user_id, TimePoint at) override;
  Status DeleteSessionsEndedBefore(TimePoint before) override;

  StatusOr<Invitation> CreateInvitation(const Invitation& invitation) override;
  StatusOr<std::vector<Invitation>> ListInvitations(int64_t team_id) override;
  StatusOr<Invitation> GetInvitationByToken(std::string_view token_digest_hex) override;
  StatusOr<User> AcceptInvitation(std::string_view token_digest_hex, const NewUser& user) override;
  Status DeleteInvitation(int64_t team_id, int64_t invitation_id) override;

  StatusOr<PersonalKey> CreatePersonalKey(const PersonalKey& key, std::optional<Retirement> retire) override;
  StatusOr<PersonalKey> FindPersonalKeyByDigest(std::string_view digest_hex) override;
  StatusOr<std::vector<PersonalKey>> ListPersonalKeys(int64_t user_id) override;
  Status RevokePersonalKey(int64_t user_id, int64_t key_id, TimePoint at) override;
  Status TouchPersonalKey(int64_t key_id, TimePoint at) override;

  StatusOr<std::optional<std::string>> GetTeamSetting(int64_t team_id, std::string_view name) override;
  Status SetTeamSetting(int64_t team_id, std::string_view name, std::string_view json_value) override;

 private:
  SqliteDb* db_;
};

}  // namespace otelstack::meta

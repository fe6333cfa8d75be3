// IdentityRepository on a PostgreSQL connection (schema: migration 3 in
// postgres_migrations.cc). Each method holds the connection's lock for its
// whole statement or transaction.
//
// Locking: every multi-statement write (first team, unique email, last admin,
// unused invitation, password change revoking sessions, key rotation, ...)
// runs in one READ COMMITTED transaction whose first statement is
// pg_advisory_xact_lock(PgLockDomain::kIdentity). Identity writers therefore
// run one at a time across all replicas, exactly like SQLite's BEGIN
// IMMEDIATE writers, and each check sees every earlier writer's commit. We
// chose this over SERIALIZABLE with retries: the writes are rare (logins,
// admin actions), a lock makes the same code correct without a retry loop,
// and errors stay the ones SQLite returns (AlreadyExists, FailedPrecondition)
// instead of serialization failures. Single-statement writes (touch, revoke)
// need no lock. The unique indexes (email, digests) back the checks up.
#pragma once

#include "meta/identity_repository.h"
#include "meta/postgres_db.h"

namespace otelstack::meta {

class PostgresIdentityRepository : public IdentityRepository {
 public:
  // `db` must outlive this object.
  explicit PostgresIdentityRepository(PostgresDb* db) : db_(db) {}

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
  PostgresDb* db_;
};

}  // namespace otelstack::meta

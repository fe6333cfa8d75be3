// Storage of teams, users, sessions, invitations and personal access keys,
// independent of the database behind it (MetaStore provides SQLite; a
// PostgreSQL implementation can implement the same interface for several
// replicas).
//
// The repository stores rows and enforces the invariants that need a
// transaction (one first team, unique emails, single-use invitations); it
// knows nothing of passwords or key material: callers give it argon2id hashes
// and SHA-256 digests (auth/). Implementations are thread-safe and every
// method is atomic. Emails are stored and compared in lower case (callers may
// pass any case; the repository lower-cases ASCII letters).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "meta/ingestion_key_repository.h"  // TimePoint, Retirement

namespace otelstack::meta {

// Ordered: a higher role may do everything a lower one may.
enum class Role { kViewer = 0, kEditor = 1, kAdmin = 2 };
std::string_view RoleName(Role role);                  // "viewer", "editor", "admin"
std::optional<Role> ParseRole(std::string_view name);  // inverse of RoleName

struct Team {
  int64_t id = 0;
  std::string name;
  TimePoint created_at;
};

struct User {
  int64_t id = 0;
  int64_t team_id = 0;
  std::string email;  // lower case
  std::string name;
  Role role = Role::kViewer;
  std::string password_hash;  // argon2id encoded string (auth/password_hash.h)
  TimePoint created_at;
};

struct NewUser {
  std::string email;
  std::string name;
  Role role = Role::kViewer;
  std::string password_hash;
  TimePoint created_at;
};

// A server-side login session. The cookie carries a random id; the database
// holds only its digest, so a leaked database does not yield live sessions.
struct SessionRecord {
  std::string id_digest_hex;
  int64_t user_id = 0;
  TimePoint created_at;
  TimePoint last_seen_at;
  TimePoint expires_at;  // rolling: moved forward on use
  std::optional<TimePoint> revoked_at;
  std::string client_address;
  std::string user_agent;
};

struct Invitation {
  int64_t id = 0;
  int64_t team_id = 0;
  std::string token_digest_hex;
  std::string email;  // lower case; may be empty (anyone holding the link)
  Role role = Role::kViewer;
  int64_t created_by = 0;  // user id
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<TimePoint> used_at;
  std::optional<int64_t> used_by;  // user id created from it
};

struct PersonalKey {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  std::string digest_hex;  // lowercase hex SHA-256 of the raw key
  TimePoint created_at;
  std::optional<TimePoint> last_used_at;
  std::optional<TimePoint> expires_at;  // set when rotated away (end of grace)
  std::optional<TimePoint> revoked_at;

  bool ActiveAt(TimePoint now) const { return !revoked_at && (!expires_at || now < *expires_at); }
};

class IdentityRepository {
 public:
  virtual ~IdentityRepository() = default;

  // --- Teams -----------------------------------------------------------
  virtual StatusOr<bool> AnyTeam() = 0;
  // Creates the first team and its first user (whatever admin.role says, the
  // user is stored as admin). AlreadyExists if any team exists: registration
  // is open only once, and two concurrent registrations cannot both succeed.
  struct Registered {
    Team team;
    User admin;
  };
  virtual StatusOr<Registered> CreateFirstTeam(const std::string& team_name, const NewUser& admin) = 0;
  virtual StatusOr<Team> GetTeam(int64_t team_id) = 0;              // NotFound
  virtual StatusOr<std::vector<Team>> ListTeams() = 0;              // ascending id
  virtual Status RenameTeam(int64_t team_id, const std::string& name) = 0;

  // --- Users -----------------------------------------------------------
  // AlreadyExists if the email is taken (in any team).
  virtual StatusOr<User> CreateUser(int64_t team_id, const NewUser& user) = 0;
  virtual StatusOr<User> GetUser(int64_t user_id) = 0;                     // NotFound
  virtual StatusOr<User> FindUserByEmail(std::string_view email) = 0;      // NotFound
  virtual StatusOr<std::vector<User>> ListUsers(int64_t team_id) = 0;      // ascending id
  // Replaces the hash and revokes every session of the user at `at`, in one
  // transaction. NotFound for an unknown user.
  virtual Status SetPassword(int64_t user_id, const std::string& password_hash, TimePoint at) = 0;
  // NotFound for an unknown user. FailedPrecondition if it would leave the
  // team without an admin.
  virtual Status SetRole(int64_t user_id, Role role) = 0;
  // Deletes the user, their sessions and personal keys. NotFound for an
  // unknown user; FailedPrecondition if it would leave the team without an admin.
  virtual Status DeleteUser(int64_t user_id) = 0;

  // --- Sessions --------------------------------------------------------
  virtual Status CreateSession(const SessionRecord& session) = 0;
  // NotFound for an unknown digest (revoked/expired ones are returned; the
  // caller decides).
  virtual StatusOr<SessionRecord> GetSession(std::string_view id_digest_hex) = 0;
  // Sets last_seen_at and expires_at (rolling expiry). NotFound if unknown.
  virtual Status TouchSession(std::string_view id_digest_hex, TimePoint last_seen_at, TimePoint expires_at) = 0;
  virtual Status RevokeSession(std::string_view id_digest_hex, TimePoint at) = 0;
  virtual Status RevokeUserSessions(int64_t user_id, TimePoint at) = 0;
  // Deletes sessions that expired or were revoked before `before`.
  virtual Status DeleteSessionsEndedBefore(TimePoint before) = 0;

  // --- Invitations -----------------------------------------------------
  virtual StatusOr<Invitation> CreateInvitation(const Invitation& invitation) = 0;  // id assigned
  virtual StatusOr<std::vector<Invitation>> ListInvitations(int64_t team_id) = 0;
  virtual StatusOr<Invitation> GetInvitationByToken(std::string_view token_digest_hex) = 0;  // NotFound
  // Atomically: checks that the invitation exists (NotFound), is unused and
  // not expired at `user.created_at` (FailedPrecondition, message says which),
  // creates the user in the invitation's team with the invitation's role
  // (AlreadyExists if the email is taken) and marks the invitation used.
  virtual StatusOr<User> AcceptInvitation(std::string_view token_digest_hex, const NewUser& user) = 0;
  virtual Status DeleteInvitation(int64_t team_id, int64_t invitation_id) = 0;  // NotFound

  // --- Personal access keys ---------------------------------------------
  // Inserts a key; if `retire` is given, that key (which must belong to the
  // same user, else NotFound) expires at the earlier of its current expiry
  // and retire->expires_at, in the same transaction.
  virtual StatusOr<PersonalKey> CreatePersonalKey(const PersonalKey& key, std::optional<Retirement> retire) = 0;
  virtual StatusOr<PersonalKey> FindPersonalKeyByDigest(std::string_view digest_hex) = 0;  // NotFound
  virtual StatusOr<std::vector<PersonalKey>> ListPersonalKeys(int64_t user_id) = 0;
  virtual Status RevokePersonalKey(int64_t user_id, int64_t key_id, TimePoint at) = 0;  // NotFound
  virtual Status TouchPersonalKey(int64_t key_id, TimePoint at) = 0;  // last_used_at only moves forward

  // --- Team settings (JSON text by name, e.g. "query_limits") -------------
  virtual StatusOr<std::optional<std::string>> GetTeamSetting(int64_t team_id, std::string_view name) = 0;
  virtual Status SetTeamSetting(int64_t team_id, std::string_view name, std::string_view json_value) = 0;
};

}  // namespace otelstack::meta

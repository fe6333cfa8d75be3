// An in-memory IdentityRepository for auth tests. Implements faithfully what
// auth/ uses (users, sessions, personal keys); the rest returns Internal.
// Thread-safe. Tests can also inject a failure for the next call of some
// methods (fail_touch_session) to check error paths.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>

#include "meta/identity_repository.h"

namespace otelstack::auth::testing {

class FakeIdentityRepository : public meta::IdentityRepository {
 public:
  // --- Test helpers ------------------------------------------------------
  meta::User AddUser(std::string email, meta::Role role = meta::Role::kAdmin) {
    meta::NewUser user{.email = std::move(email), .name = "Test", .role = role, .password_hash = "", .created_at = {}};
    return CreateUser(1, user).value();
  }
  std::optional<meta::SessionRecord> SessionByDigest(const std::string& digest) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(digest);
    if (it == sessions_.end()) return std::nullopt;
    return it->second;
  }
  size_t touch_session_calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return touch_session_calls_;
  }
  size_t touch_key_calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return touch_key_calls_;
  }
  Status fail_touch_session;  // returned (once) by the next TouchSession if not OK

  // --- Teams (unused) ------------------------------------------------------
  StatusOr<bool> AnyTeam() override { return Unimplemented(); }
  StatusOr<Registered> CreateFirstTeam(const std::string&, const meta::NewUser&) override { return Unimplemented(); }
  StatusOr<meta::Team> GetTeam(int64_t) override { return Unimplemented(); }
  StatusOr<std::vector<meta::Team>> ListTeams() override { return Unimplemented(); }
  Status RenameTeam(int64_t, const std::string&) override { return Unimplemented(); }

  // --- Users ---------------------------------------------------------------
  StatusOr<meta::User> CreateUser(int64_t team_id, const meta::NewUser& user) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string email = Lower(user.email);
    for (const auto& [id, u] : users_) {
      if (u.email == email) return Status::AlreadyExists("email taken");
    }
    meta::User row{.id = next_user_id_++,
                   .team_id = team_id,
                   .email = email,
                   .name = user.name,
                   .role = user.role,
                   .password_hash = user.password_hash,
                   .created_at = user.created_at};
    users_[row.id] = row;
    return row;
  }
  StatusOr<meta::User> GetUser(int64_t user_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = users_.find(user_id);
    if (it == users_.end()) return Status::NotFound("user " + std::to_string(user_id));
    return it->second;
  }
  StatusOr<meta::User> FindUserByEmail(std::string_view email) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string lower = Lower(email);
    for (const auto& [id, u] : users_) {
      if (u.email == lower) return u;
    }
    return Status::NotFound("no user with that email");
  }
  StatusOr<std::vector<meta::User>> ListUsers(int64_t) override { return Unimplemented(); }
  Status SetPassword(int64_t, const std::string&, meta::TimePoint) override { return Unimplemented(); }
  Status SetRole(int64_t, meta::Role) override { return Unimplemented(); }
  Status DeleteUser(int64_t user_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (users_.erase(user_id) == 0) return Status::NotFound("user " + std::to_string(user_id));
    std::erase_if(sessions_, [&](const auto& kv) { return kv.second.user_id == user_id; });
    std::erase_if(keys_, [&](const auto& kv) { return kv.second.user_id == user_id; });
    return Status::OK();
  }

  // --- Sessions --------------------------------------------------------------
  Status CreateSession(const meta::SessionRecord& session) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!sessions_.emplace(session.id_digest_hex, session).second) return Status::AlreadyExists("session");
    return Status::OK();
  }
  StatusOr<meta::SessionRecord> GetSession(std::string_view id_digest_hex) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(std::string(id_digest_hex));
    if (it == sessions_.end()) return Status::NotFound("session");
    return it->second;
  }
  Status TouchSession(std::string_view id_digest_hex, meta::TimePoint last_seen_at,
                      meta::TimePoint expires_at) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++touch_session_calls_;
    if (!fail_touch_session.ok()) {
      Status st = fail_touch_session;
      fail_touch_session = Status::OK();
      return st;
    }
    auto it = sessions_.find(std::string(id_digest_hex));
    if (it == sessions_.end()) return Status::NotFound("session");
    it->second.last_seen_at = last_seen_at;
    it->second.expires_at = expires_at;
    return Status::OK();
  }
  Status RevokeSession(std::string_view id_digest_hex, meta::TimePoint at) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(std::string(id_digest_hex));
    if (it == sessions_.end()) return Status::NotFound("session");
    if (!it->second.revoked_at) it->second.revoked_at = at;
    return Status::OK();
  }
  Status RevokeUserSessions(int64_t user_id, meta::TimePoint at) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [digest, s] : sessions_) {
      if (s.user_id == user_id && !s.revoked_at) s.revoked_at = at;
    }
    return Status::OK();
  }
  Status DeleteSessionsEndedBefore(meta::TimePoint) override { return Unimplemented(); }

  // --- Invitations (unused) ----------------------------------------------------
  StatusOr<meta::Invitation> CreateInvitation(const meta::Invitation&) override { return Unimplemented(); }
  StatusOr<std::vector<meta::Invitation>> ListInvitations(int64_t) override { return Unimplemented(); }
  StatusOr<meta::Invitation> GetInvitationByToken(std::string_view) override { return Unimplemented(); }
  StatusOr<meta::User> AcceptInvitation(std::string_view, const meta::NewUser&) override { return Unimplemented(); }
  Status DeleteInvitation(int64_t, int64_t) override { return Unimplemented(); }

  // --- Personal keys -------------------------------------------------------------
  StatusOr<meta::PersonalKey> CreatePersonalKey(const meta::PersonalKey& key,
                                                std::optional<meta::Retirement> retire) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (retire) {
      auto it = keys_.find(retire->id);
      if (it == keys_.end() || it->second.user_id != key.user_id) return Status::NotFound("key to retire");
      if (!it->second.expires_at || retire->expires_at < *it->second.expires_at) {
        it->second.expires_at = retire->expires_at;
      }
    }
    for (const auto& [id, k] : keys_) {
      if (k.digest_hex == key.digest_hex) return Status::AlreadyExists("digest");
    }
    meta::PersonalKey row = key;
    row.id = next_key_id_++;
    keys_[row.id] = row;
    return row;
  }
  StatusOr<meta::PersonalKey> FindPersonalKeyByDigest(std::string_view digest_hex) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, k] : keys_) {
      if (k.digest_hex == digest_hex) return k;
    }
    return Status::NotFound("key");
  }
  StatusOr<std::vector<meta::PersonalKey>> ListPersonalKeys(int64_t user_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<meta::PersonalKey> out;
    for (const auto& [id, k] : keys_) {
      if (k.user_id == user_id) out.push_back(k);
    }
    return out;
  }
  Status RevokePersonalKey(int64_t user_id, int64_t key_id, meta::TimePoint at) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = keys_.find(key_id);
    if (it == keys_.end() || it->second.user_id != user_id) return Status::NotFound("key");
    if (!it->second.revoked_at) it->second.revoked_at = at;
    return Status::OK();
  }
  Status TouchPersonalKey(int64_t key_id, meta::TimePoint at) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++touch_key_calls_;
    auto it = keys_.find(key_id);
    if (it == keys_.end()) return Status::OK();
    if (!it->second.last_used_at || at > *it->second.last_used_at) it->second.last_used_at = at;
    return Status::OK();
  }

  // --- Team settings (unused) ------------------------------------------------------
  StatusOr<std::optional<std::string>> GetTeamSetting(int64_t, std::string_view) override { return Unimplemented(); }
  Status SetTeamSetting(int64_t, std::string_view, std::string_view) override { return Unimplemented(); }

 private:
  static Status Unimplemented() { return Status::Internal("not implemented by FakeIdentityRepository"); }
  static std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }

  std::mutex mu_;
  int64_t next_user_id_ = 1;
  int64_t next_key_id_ = 1;
  std::map<int64_t, meta::User> users_;
  std::map<std::string, meta::SessionRecord> sessions_;
  std::map<int64_t, meta::PersonalKey> keys_;
  size_t touch_session_calls_ = 0;
  size_t touch_key_calls_ = 0;
};

// A clock the test moves by hand.
class FakeClock {
 public:
  meta::Clock AsClock() {
    return [this] {
      std::lock_guard<std::mutex> lock(mu_);
      return now_;
    };
  }
  void Advance(std::chrono::system_clock::duration d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }
  meta::TimePoint Now() {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }

 private:
  std::mutex mu_;
  meta::TimePoint now_ = meta::TimePoint(std::chrono::seconds(1'700'000'000));
};

}  // namespace otelstack::auth::testing

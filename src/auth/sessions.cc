#include "auth/sessions.h"

#include <spdlog/spdlog.h>

#include "auth/csrf.h"
#include "common/file_util.h"
#include "meta/crypto.h"

namespace otelstack::auth {

namespace {

constexpr size_t kSessionIdBytes = 32;

Status NotAuthenticated() { return Status::Unauthenticated("session is invalid or has expired; log in again"); }

}  // namespace

std::string SessionIdDigest(std::string_view session_id) { return HexEncode(meta::Sha256(session_id)); }

SessionManager::SessionManager(meta::IdentityRepository* repo, const CookieSigner* signer, meta::Clock clock,
                               SessionOptions options)
    : repo_(repo), signer_(signer), clock_(std::move(clock)), options_(options) {}

StatusOr<NewSession> SessionManager::Create(int64_t user_id, std::string client_address, std::string user_agent) {
  std::string id_bytes;
  Status st = RandomBytes(kSessionIdBytes, &id_bytes);
  if (!st.ok()) return Status::Internal("generating a session id: " + st.message());
  const std::string session_id = HexEncode(id_bytes);
  if (user_agent.size() > options_.max_user_agent_bytes) user_agent.resize(options_.max_user_agent_bytes);

  const meta::TimePoint now = clock_();
  NewSession session;
  session.record.id_digest_hex = SessionIdDigest(session_id);
  session.record.user_id = user_id;
  session.record.created_at = now;
  session.record.last_seen_at = now;
  session.record.expires_at = now + options_.ttl;
  session.record.client_address = std::move(client_address);
  session.record.user_agent = std::move(user_agent);
  OTELSTACK_RETURN_IF_ERROR(repo_->CreateSession(session.record));
  session.cookie_value = signer_->Sign(session_id);
  session.csrf_token = CsrfToken(*signer_, session.record.id_digest_hex);
  return session;
}

StatusOr<AuthenticatedSession> SessionManager::Authenticate(std::string_view cookie_value) {
  std::optional<std::string> session_id = signer_->Verify(cookie_value);
  if (!session_id) return NotAuthenticated();
  const std::string digest = SessionIdDigest(*session_id);
  StatusOr<meta::SessionRecord> record = repo_->GetSession(digest);
  if (!record.ok()) {
    if (record.status().code() == Status::Code::kNotFound) return NotAuthenticated();
    return record.status();
  }
  const meta::TimePoint now = clock_();
  if (record->revoked_at || now >= record->expires_at) return NotAuthenticated();
  StatusOr<meta::User> user = repo_->GetUser(record->user_id);
  if (!user.ok()) {
    if (user.status().code() == Status::Code::kNotFound) return NotAuthenticated();
    return user.status();
  }

  AuthenticatedSession session;
  session.user = std::move(user).value();
  session.id_digest_hex = digest;
  session.csrf_token = CsrfToken(*signer_, digest);
  session.expires_at = record->expires_at;
  if (now - record->last_seen_at >= options_.touch_interval) {
    const meta::TimePoint expires_at = now + options_.ttl;
    Status st = repo_->TouchSession(digest, now, expires_at);
    if (st.ok()) {
      session.expires_at = expires_at;
      session.touched = true;
    } else if (st.code() == Status::Code::kNotFound) {
      return NotAuthenticated();  // deleted between the read and the write
    } else {
      // The session is valid; failing to extend it must not log the user out.
      spdlog::warn("extending session {}...: {}", digest.substr(0, 8), st.ToString());
    }
  }
  return session;
}

Status SessionManager::Revoke(std::string_view cookie_value) {
  std::optional<std::string> session_id = signer_->Verify(cookie_value);
  if (!session_id) return NotAuthenticated();
  Status st = repo_->RevokeSession(SessionIdDigest(*session_id), clock_());
  if (st.code() == Status::Code::kNotFound) return Status::OK();
  return st;
}

bool SessionManager::CheckCsrf(const AuthenticatedSession& session, std::string_view token) const {
  return CheckCsrfToken(*signer_, session.id_digest_hex, token);
}

}  // namespace otelstack::auth

// Server-side login sessions referenced by a signed cookie.
//
// A session id is 32 random bytes in hex. The cookie holds
// CookieSigner::Sign(id); the repository holds only SHA-256 hex of the id
// (SessionRecord::id_digest_hex), so neither a leaked database nor a forged
// cookie yields a live session. Expiry is rolling: each authenticated use
// moves expires_at to now + ttl, but the row is written at most once per
// touch_interval per session, to keep reads from turning into writes.
//
// A session authenticates only while its signature verifies, its row exists,
// it is not revoked, now < expires_at, and its user still exists. Every such
// failure is Unauthenticated with a generic message; other repository errors
// (IOError, ...) are returned unchanged so the caller can tell "log in again"
// from "server error".
//
// Thread-safe (the repository is; the rest is immutable). The repository and
// signer are borrowed and must outlive the manager.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/cookie_signer.h"
#include "common/status.h"
#include "meta/clock.h"
#include "meta/identity_repository.h"

namespace otelstack::auth {

struct SessionOptions {
  std::chrono::seconds ttl = std::chrono::hours(24 * 30);  // rolling
  std::chrono::seconds touch_interval = std::chrono::minutes(1);
  size_t max_user_agent_bytes = 512;  // longer User-Agent values are truncated before storage
};

struct NewSession {
  std::string cookie_value;  // signed; put it in SessionCookieHeader(..., ttl)
  std::string csrf_token;    // return it to the client (csrf.h)
  meta::SessionRecord record;
};

struct AuthenticatedSession {
  meta::User user;
  std::string id_digest_hex;  // identifies the session (audit logs, CheckCsrfToken)
  std::string csrf_token;     // current token (under the signing key)
  meta::TimePoint expires_at;
  // True when this call moved the expiry forward: the caller may re-send the
  // cookie with a fresh Max-Age so the browser keeps it as long as the server.
  bool touched = false;
};

class SessionManager {
 public:
  SessionManager(meta::IdentityRepository* repo, const CookieSigner* signer, meta::Clock clock,
                 SessionOptions options = {});

  // Starts a session for `user_id` (the caller has checked the password).
  StatusOr<NewSession> Create(int64_t user_id, std::string client_address, std::string user_agent);

  // Resolves a session cookie value (CookieSigner output, without the
  // "otelstack.sid=" name) to its user; see the contract above.
  StatusOr<AuthenticatedSession> Authenticate(std::string_view cookie_value);

  // Ends the session (logout). Unauthenticated if the signature does not
  // verify; OK if the session is unknown or already revoked (idempotent).
  Status Revoke(std::string_view cookie_value);

  // True if `token` is the CSRF token of `session` under any key.
  bool CheckCsrf(const AuthenticatedSession& session, std::string_view token) const;

  const SessionOptions& options() const { return options_; }

 private:
  meta::IdentityRepository* const repo_;
  const CookieSigner* const signer_;
  const meta::Clock clock_;
  const SessionOptions options_;
};

// SHA-256 hex of a session id: the key under which the repository stores it.
std::string SessionIdDigest(std::string_view session_id);

}  // namespace otelstack::auth

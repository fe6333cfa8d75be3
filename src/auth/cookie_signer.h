// Signed cookie values and the session cookie's Set-Cookie header.
//
// A signed value is  value + "." + base64url(HMAC-SHA-256(keys[0], value))
// (the layout of express-session's cookie-signature, with base64url). The
// value itself is not secret or encrypted, only tamper-evident; session
// cookies carry a random session id, whose digest the database holds.
//
// Keys rotate: the first key signs, every key verifies (session_secret.h).
// CookieSigner is immutable and thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otelstack::auth {

inline constexpr char kSessionCookieName[] = "otelstack.sid";

class CookieSigner {
 public:
  // Requires a non-empty list of non-empty keys (LoadSessionSecrets returns
  // one); empty keys are dropped, and an empty list aborts.
  explicit CookieSigner(std::vector<std::string> keys);

  // value + "." + MAC under the signing key. `value` must not be empty.
  std::string Sign(std::string_view value) const;

  // The value if `signed_value` is value + "." + the MAC of value under any
  // of the keys; nullopt otherwise (no dot, empty value, wrong MAC). Splits
  // at the last dot, so values may contain dots. MACs are compared in
  // constant time.
  std::optional<std::string> Verify(std::string_view signed_value) const;

  // base64url(HMAC(signing key, data)): a MAC for other uses (CSRF tokens).
  // Callers must prefix `data` with a purpose label so that a MAC made for
  // one purpose is never valid for another.
  std::string Tag(std::string_view data) const;

  // True if `tag` equals Tag(data) under any of the keys (constant-time).
  bool CheckTag(std::string_view data, std::string_view tag) const;

 private:
  std::vector<std::string> keys_;
};

// The Set-Cookie header value that stores `signed_value` in the session
// cookie: "otelstack.sid=<signed_value>; Path=/; Max-Age=<n>; HttpOnly;
// SameSite=Lax" plus "; Secure" when `secure` (the server is reached over
// HTTPS, directly or through a TLS-terminating proxy). `signed_value` must
// hold only cookie-safe characters (CookieSigner output of a hex id does).
std::string SessionCookieHeader(std::string_view signed_value, bool secure, std::chrono::seconds max_age);

// The Set-Cookie header value that deletes the session cookie (empty value,
// Max-Age=0, same attributes so the browser matches it).
std::string ClearSessionCookieHeader(bool secure);

}  // namespace otelstack::auth

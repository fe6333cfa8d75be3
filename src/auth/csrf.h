// CSRF tokens for cookie-authenticated requests, derived from the session so
// that nothing is stored.
//
// Scheme (synchronizer token, stateless):
//   token = base64url(HMAC-SHA-256(key, "otelstack-csrf\n" + session digest))
// where the session digest is SessionRecord::id_digest_hex (the SHA-256 hex
// of the session id). The API returns the token in the login response and in
// GET /api/me; the browser client keeps it in memory and sends it in the
// X-CSRF-Token header on every cookie-authenticated POST, PUT, PATCH and
// DELETE. The server rejects such a request unless CheckCsrfToken accepts the
// header for the request's session. A cross-site page can make the browser
// send the cookie but cannot read the token (same-origin policy), so it
// cannot forge the header. Requests authenticated by a Bearer personal key
// carry no ambient credential and need no token.
//
// The token is stable for the session's life, dies with the session, and is
// valid under any rotation key (so rotating the secret does not break open
// pages). The purpose label keeps a token from ever being a valid cookie
// signature and vice versa.
#pragma once

#include <string>
#include <string_view>

#include "auth/cookie_signer.h"

namespace otelstack::auth {

inline constexpr char kCsrfHeaderName[] = "X-CSRF-Token";

// The token for the session whose id digest is `session_digest_hex`, under
// the signing key.
std::string CsrfToken(const CookieSigner& signer, std::string_view session_digest_hex);

// True if `token` is the token of that session under any of the signer's
// keys. False for an empty token. Constant-time.
bool CheckCsrfToken(const CookieSigner& signer, std::string_view session_digest_hex, std::string_view token);

}  // namespace otelstack::auth

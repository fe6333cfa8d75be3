// The keys that sign session cookies and derive CSRF tokens: where they come
// from and whether they are strong enough.
//
// Sources, first match wins:
//   OTELSTACK_SESSION_SECRET / OTELSTACK_SESSION_SECRET_FILE
//   EXPRESS_SESSION_SECRET / EXPRESS_SESSION_SECRET_FILE   (ClickStack's name)
//   <data_dir>/session.secret   development only; created if absent
// (common/secrets.h: NAME holds the value, NAME_FILE a file holding it.)
//
// Rotation: the value may be a comma-separated list. Entries are trimmed and
// empty ones dropped; the first signs, all verify. To rotate, put the new key
// first and keep the old one until the sessions it signed have expired.
//
// Strength (checked for every key when production is true):
//   - not a published default (HyperDX's docker-compose and documentation
//     value, the ClickStack guide's example, "secret", "changeme", ...);
//     compared case-insensitively;
//   - at least 32 characters (bytes);
//   - estimated entropy of at least 128 bits, where the estimate is
//       length * log2(min(alphabet, distinct))
//     with `alphabet` the size of the character classes the key uses (16 if
//     it is all hex digits of one case; otherwise 26 lower + 26 upper + 10
//     digits + 33 other printable ASCII + 128 non-ASCII bytes, for each class
//     present) and `distinct` the number of different bytes in it. This is a
//     heuristic that rejects the obvious mistakes ("aaaa...", a word repeated,
//     a short password padded out), not a proof of randomness. The output of
//     `openssl rand -hex 32` (64 hex characters, ~256 bits) always passes.
// A weak or missing secret in production is FailedPrecondition. In
// development the checks are not applied.
//
// Error messages name the variable and the reason, never the value. The
// returned keys are secrets: never log them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace otelstack::auth {

inline constexpr char kSessionSecretEnv[] = "OTELSTACK_SESSION_SECRET";
inline constexpr char kExpressSessionSecretEnv[] = "EXPRESS_SESSION_SECRET";
inline constexpr char kSessionSecretFileName[] = "session.secret";
inline constexpr size_t kMinSessionSecretLength = 32;
inline constexpr double kMinSessionSecretBits = 128.0;

struct SessionSecrets {
  std::vector<std::string> keys;  // never empty; keys[0] signs, all verify
  // Where the keys came from, for logs: "OTELSTACK_SESSION_SECRET",
  // "EXPRESS_SESSION_SECRET_FILE", "<data_dir>/session.secret (generated)".
  // Never the secret.
  std::string origin;
  // True when the keys came from (or were just written to) the development
  // file: the caller should warn that sessions depend on that file.
  bool generated = false;
};

// Loads the session keys as described above. Errors: FailedPrecondition in
// production when no secret is configured or a key is weak; InvalidArgument
// when a variable and its _FILE twin are both set or the list holds no key;
// IOError for an unreadable file; PermissionDenied when the development file
// is accessible by group or others.
StatusOr<SessionSecrets> LoadSessionSecrets(const std::string& data_dir, bool production);

// OK, or FailedPrecondition saying why `key` is weak (published default, too
// short, too little estimated entropy). `source` names where the key came
// from, for the message. Exposed for tests and for `otelstack doctor`-style
// checks.
Status CheckSessionSecretStrength(std::string_view key, std::string_view source);

// The entropy estimate described above, in bits.
double EstimateSecretBits(std::string_view key);

}  // namespace otelstack::auth

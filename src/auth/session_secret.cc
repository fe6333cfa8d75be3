#include "auth/session_secret.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "common/file_util.h"
#include "common/secrets.h"

namespace otelstack::auth {

namespace {

constexpr size_t kGeneratedSecretBytes = 32;
constexpr char kGenerateHint[] = "generate one with: openssl rand -hex 32";

// Published values that appear in compose files, documentation and tutorials.
// Compared after ASCII lower-casing.
constexpr std::array<std::string_view, 14> kKnownDefaults = {
    "hyperdx is cool \xF0\x9F\x91\x8B",  // HyperDX docker-compose.yml and docs ("hyperdx is cool" + waving hand)
    "hyperdx is cool",
    "super-secure-random-string",  // ClickStack "Going to production" example
    "secret",
    "changeme",
    "change-me",
    "change_me",
    "keyboard cat",  // express-session's README example
    "your_secret_key",
    "your-secret-key",
    "your_session_secret",
    "session_secret",
    "password",
    "otelstack",
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Splits a comma-separated list, trimming entries and dropping empty ones.
std::vector<std::string> SplitKeys(std::string_view text) {
  std::vector<std::string> keys;
  while (true) {
    size_t comma = text.find(',');
    std::string_view entry = Trim(text.substr(0, comma));
    if (!entry.empty()) keys.emplace_back(entry);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return keys;
}

void Cleanse(std::string* s) { OPENSSL_cleanse(s->data(), s->size()); }

// The variable that ReadSecret(name) took its value from.
std::string VariableUsed(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return (value != nullptr && *value != '\0') ? name : name + "_FILE";
}

// Turns a configured secret into keys, checking them in production.
StatusOr<SessionSecrets> KeysFrom(std::string* text, std::string origin, bool production, bool generated) {
  SessionSecrets secrets{.keys = SplitKeys(*text), .origin = std::move(origin), .generated = generated};
  Cleanse(text);
  if (secrets.keys.empty()) {
    return Status::InvalidArgument(secrets.origin + " holds no key (only commas and whitespace)");
  }
  if (production) {
    for (size_t i = 0; i < secrets.keys.size(); ++i) {
      std::string source = secrets.origin;
      if (secrets.keys.size() > 1) {
        source += " (key " + std::to_string(i + 1) + " of " + std::to_string(secrets.keys.size()) + ")";
      }
      Status st = CheckSessionSecretStrength(secrets.keys[i], source);
      if (!st.ok()) {
        for (std::string& key : secrets.keys) Cleanse(&key);
        return st;
      }
    }
  }
  return secrets;
}

// Writes a new secret to a private temporary file and publishes it with
// link(2), which never replaces an existing file. AlreadyExists if another
// process published one first.
StatusOr<std::string> GenerateSecretFile(const std::string& data_dir, const std::string& path) {
  std::string bytes;
  OTELSTACK_RETURN_IF_ERROR(RandomBytes(kGeneratedSecretBytes, &bytes));
  std::string text = HexEncode(bytes) + "\n";
  Cleanse(&bytes);
  std::string nonce;  // a temporary name of its own, so concurrent generators never share it
  OTELSTACK_RETURN_IF_ERROR(RandomBytes(8, &nonce));
  const std::string tmp = path + ".tmp." + HexEncode(nonce);
  Status st = WriteFileAtomic(tmp, text, 0600);
  if (!st.ok()) {
    Cleanse(&text);
    return st;
  }
  int link_rc = ::link(tmp.c_str(), path.c_str());
  int link_err = errno;
  ::unlink(tmp.c_str());
  if (link_rc != 0) {
    Cleanse(&text);
    if (link_err == EEXIST) return Status::AlreadyExists(path + " was created concurrently");
    return Status::FromErrno("link " + tmp + " to " + path, link_err);
  }
  st = FsyncDir(data_dir);
  if (!st.ok()) {
    Cleanse(&text);
    return st;
  }
  return text;
}

// The development fallback: <data_dir>/session.secret, created if absent.
StatusOr<SessionSecrets> LoadOrCreateSecretFile(const std::string& data_dir) {
  OTELSTACK_RETURN_IF_ERROR(EnsureDir(data_dir, 0700));
  const std::string path = data_dir + "/" + kSessionSecretFileName;
  StatusOr<std::string> text = ReadPrivateFile(path);
  if (text.ok()) return KeysFrom(&*text, path, /*production=*/false, /*generated=*/true);
  if (text.status().code() != Status::Code::kNotFound) return text.status();

  text = GenerateSecretFile(data_dir, path);
  if (text.ok()) return KeysFrom(&*text, path + " (generated)", /*production=*/false, /*generated=*/true);
  if (text.status().code() != Status::Code::kAlreadyExists) return text.status();
  text = ReadPrivateFile(path);
  if (!text.ok()) return text.status();
  return KeysFrom(&*text, path, /*production=*/false, /*generated=*/true);
}

}  // namespace

double EstimateSecretBits(std::string_view key) {
  if (key.empty()) return 0.0;
  bool lower = false, upper = false, digit = false, other_ascii = false, non_ascii = false;
  bool lower_hex_only = true, upper_hex_only = true;
  std::array<bool, 256> seen{};
  size_t distinct = 0;
  for (char c : key) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!seen[u]) {
      seen[u] = true;
      ++distinct;
    }
    bool is_digit = u >= '0' && u <= '9';
    bool is_lower = u >= 'a' && u <= 'z';
    bool is_upper = u >= 'A' && u <= 'Z';
    lower_hex_only = lower_hex_only && (is_digit || (u >= 'a' && u <= 'f'));
    upper_hex_only = upper_hex_only && (is_digit || (u >= 'A' && u <= 'F'));
    if (is_digit) {
      digit = true;
    } else if (is_lower) {
      lower = true;
    } else if (is_upper) {
      upper = true;
    } else if (u < 0x80) {
      other_ascii = true;
    } else {
      non_ascii = true;
    }
  }
  size_t alphabet = 0;
  if (lower_hex_only || upper_hex_only) {
    alphabet = 16;
  } else {
    alphabet = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other_ascii ? 33 : 0) + (non_ascii ? 128 : 0);
  }
  size_t symbols = std::min(alphabet, distinct);
  if (symbols <= 1) return 0.0;
  return static_cast<double>(key.size()) * std::log2(static_cast<double>(symbols));
}

Status CheckSessionSecretStrength(std::string_view key, std::string_view source) {
  const std::string where(source);
  const std::string lowered = AsciiLower(Trim(key));
  for (std::string_view known : kKnownDefaults) {
    if (lowered == known) {
      return Status::FailedPrecondition(where + " is a publicly known default session secret; " + kGenerateHint);
    }
  }
  if (key.size() < kMinSessionSecretLength) {
    return Status::FailedPrecondition(where + " is too short for a session secret (" + std::to_string(key.size()) +
                                      " characters; at least " + std::to_string(kMinSessionSecretLength) +
                                      " are required); " + kGenerateHint);
  }
  double bits = EstimateSecretBits(key);
  if (bits < kMinSessionSecretBits) {
    return Status::FailedPrecondition(where + " does not look random enough for a session secret (about " +
                                      std::to_string(static_cast<int>(bits)) + " bits estimated; at least " +
                                      std::to_string(static_cast<int>(kMinSessionSecretBits)) +
                                      " are required: too few distinct characters); " + kGenerateHint);
  }
  return Status::OK();
}

StatusOr<SessionSecrets> LoadSessionSecrets(const std::string& data_dir, bool production) {
  for (const char* name : {kSessionSecretEnv, kExpressSessionSecretEnv}) {
    StatusOr<std::optional<std::string>> secret = ReadSecret(name);
    if (!secret.ok()) return secret.status();
    if (!secret->has_value()) continue;
    return KeysFrom(&**secret, VariableUsed(name), production, /*generated=*/false);
  }
  if (production) {
    return Status::FailedPrecondition(std::string("no session secret is configured: set ") + kSessionSecretEnv +
                                      " (or " + kSessionSecretEnv + "_FILE, or ClickStack's " +
                                      kExpressSessionSecretEnv + ") to a random value; " + kGenerateHint);
  }
  return LoadOrCreateSecretFile(data_dir);
}

}  // namespace otelstack::auth

#include "doctor/secret_checks.h"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

#include "auth/session_secret.h"
#include "common/secrets.h"
#include "meta/master_key.h"

namespace otelstack::doctor {

namespace {

constexpr char kGenerate[] = "`openssl rand -hex 32`";

// Every secret otelstack reads from the environment (common/secrets.h).
constexpr const char* kSecretVariables[] = {
    "OTELSTACK_SESSION_SECRET", "EXPRESS_SESSION_SECRET",        "OTELSTACK_ENCRYPTION_KEY",
    "OTELSTACK_INGESTION_KEY",  "OTELSTACK_CLICKHOUSE_PASSWORD", "OTELSTACK_CLICKHOUSE_QUERY_PASSWORD",
};

bool IsSet(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v != nullptr && *v != '\0';
}

// The variable a secret came from: NAME or NAME_FILE.
std::string VariableUsed(const std::string& name) { return IsSet(name + "_FILE") ? name + "_FILE" : name; }

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

std::string OctalMode(mode_t mode) {
  char text[8];
  snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

bool LooksSecret(std::string key) {
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  std::replace(key.begin(), key.end(), '_', '-');
  if (key == "tls-key") return false;  // a path to the key file, not the key
  for (const char* word : {"password", "passwd", "secret", "token", "key", "credential"}) {
    if (key.find(word) != std::string::npos) return true;
  }
  return false;
}

void FindSecretKeys(const YAML::Node& node, const std::string& prefix, std::vector<std::string>* out) {
  if (node.IsMap()) {
    for (const auto& item : node) {
      std::string key = item.first.IsScalar() ? item.first.as<std::string>() : "?";
      std::string path = prefix.empty() ? key : prefix + "." + key;
      if (LooksSecret(key)) out->push_back(path);
      FindSecretKeys(item.second, path, out);
    }
  } else if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i) FindSecretKeys(node[i], prefix + "[" + std::to_string(i) + "]", out);
  }
}

}  // namespace

CheckResult CheckSessionSecret(const std::string& data_dir) {
  constexpr char kTitle[] = "Session secret";
  auto secrets = auth::LoadSessionSecrets(data_dir, /*production=*/true);
  const std::string dev_file = data_dir + "/" + auth::kSessionSecretFileName;
  struct stat st;
  const bool dev_file_exists = ::stat(dev_file.c_str(), &st) == 0;
  if (secrets.ok()) {
    std::string detail = "from " + secrets->origin + ", strong";
    if (secrets->keys.size() > 1)
      detail += " (" + std::to_string(secrets->keys.size()) + " keys: rotation in progress)";
    if (dev_file_exists) detail += "; the development file " + dev_file + " is ignored and can be deleted";
    return Pass("session.secret", kTitle, detail);
  }
  std::string detail = secrets.status().message();
  if (dev_file_exists) {
    detail += "; " + dev_file +
              " was generated for development: production does not use it (sessions would be signed by a key that "
              "lives only in the data directory)";
  }
  return Fail("session.secret", kTitle, detail,
              std::string("put the output of ") + kGenerate +
                  " in a secret file and set OTELSTACK_SESSION_SECRET_FILE to it (or OTELSTACK_SESSION_SECRET)");
}

CheckResult CheckEncryptionKey(const std::string& data_dir) {
  constexpr char kTitle[] = "Encryption key";
  const std::string fix_env = std::string("keep the key outside the data directory: ") + kGenerate +
                              " into a secret file, set OTELSTACK_ENCRYPTION_KEY_FILE (an existing master.key's "
                              "content works as that value)";
  auto secret = ReadSecret(meta::kEncryptionKeyEnv);
  if (!secret.ok()) return Fail("encryption.key", kTitle, secret.status().message(), fix_env);
  if (secret->has_value()) {
    const std::string& key = **secret;
    const bool hex =
        key.size() == 64 && std::all_of(key.begin(), key.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
    const std::string var = VariableUsed(meta::kEncryptionKeyEnv);
    if (!hex) {
      return Fail("encryption.key", kTitle,
                  var + " is not 64 hex characters (" + std::to_string(key.size()) +
                      " characters): the server refuses to start",
                  std::string("set it to the output of ") + kGenerate);
    }
    return Pass("encryption.key", kTitle, "from " + var);
  }
  const std::string path = data_dir + "/" + meta::kMasterKeyFileName;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Warn("encryption.key", kTitle,
                "no OTELSTACK_ENCRYPTION_KEY[_FILE] and no " + path + " yet: the first start generates " + path,
                fix_env + "; or back up the generated master.key: without it stored secrets cannot be revealed");
  }
  if ((st.st_mode & 077) != 0) {
    return Fail("encryption.key", kTitle, path + " has mode " + OctalMode(st.st_mode) + ": group or others can read it",
                "chmod 600 " + path);
  }
  return Warn("encryption.key", kTitle,
              "stored secrets are sealed with " + path + " (mode " + OctalMode(st.st_mode) +
                  "): losing it makes them unrevealable, and it travels with every copy of the data directory",
              "back it up separately from the data, or " + fix_env);
}

CheckResult CheckConfigFileSecrets(const std::string& config_file) {
  constexpr char kTitle[] = "Secrets in the config file";
  if (config_file.empty()) return Pass("secrets.config", kTitle, "no --config file");
  YAML::Node root;
  try {
    root = YAML::LoadFile(config_file);
  } catch (const YAML::Exception& e) {
    return Warn("secrets.config", kTitle, "cannot read " + config_file + ": " + e.what(), "fix the file's YAML");
  }
  std::vector<std::string> found;
  FindSecretKeys(root, "", &found);
  if (!found.empty()) {
    return Fail("secrets.config", kTitle,
                config_file + " holds secret-looking settings: " + Join(found) +
                    " (otelstack reads no secret from its config file)",
                "remove them and pass secrets as files through OTELSTACK_..._FILE variables (e.g. "
                "OTELSTACK_SESSION_SECRET_FILE, OTELSTACK_CLICKHOUSE_PASSWORD_FILE)");
  }
  return Pass("secrets.config", kTitle, config_file + " holds no secret-looking setting");
}

CheckResult CheckSecretEnvironment() {
  constexpr char kTitle[] = "Secrets in the environment";
  std::vector<std::string> direct, loose_files;
  std::vector<std::string> from_files;
  for (const char* name : kSecretVariables) {
    const std::string file_var = std::string(name) + "_FILE";
    if (IsSet(name)) direct.push_back(name);
    if (IsSet(file_var)) {
      from_files.push_back(file_var);
      const char* path = std::getenv(file_var.c_str());
      struct stat st;
      if (::stat(path, &st) == 0 && (st.st_mode & 077) != 0) {
        loose_files.push_back(std::string(path) + " (" + file_var + ", mode " + OctalMode(st.st_mode) + ")");
      }
    }
  }
  if (!loose_files.empty()) {
    return Warn("secrets.env", kTitle, "secret files readable by group or others: " + Join(loose_files),
                "chmod 600 them (or 400), owned by the user otelstack runs as");
  }
  if (!direct.empty()) {
    return Warn("secrets.env", kTitle,
                "set directly in the environment: " + Join(direct) +
                    " (visible to `docker inspect`, /proc/<pid>/environ and child processes)",
                "prefer the _FILE variants with Docker or Kubernetes secrets, e.g. " + direct.front() +
                    "_FILE=/run/secrets/...");
  }
  if (from_files.empty()) return Pass("secrets.env", kTitle, "no secret is set in the environment");
  return Pass("secrets.env", kTitle, "secrets come from files: " + Join(from_files));
}

}  // namespace otelstack::doctor

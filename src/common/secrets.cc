#include "common/secrets.h"

#include <cstdlib>

#include "common/file_util.h"

namespace otelstack {

namespace {

// Returns the variable's value, or nullopt when unset or empty.
std::optional<std::string> GetNonEmptyEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

void TrimTrailingWhitespace(std::string* s) {
  size_t end = s->find_last_not_of(" \t\r\n\f\v");
  s->resize(end == std::string::npos ? 0 : end + 1);
}

}  // namespace

StatusOr<std::optional<std::string>> ReadSecret(std::string_view env_name) {
  const std::string name(env_name);
  const std::string file_name = name + "_FILE";
  std::optional<std::string> value = GetNonEmptyEnv(name);
  std::optional<std::string> path = GetNonEmptyEnv(file_name);
  if (value && path) {
    return Status::InvalidArgument("both " + name + " and " + file_name + " are set; set only one of them");
  }
  if (value) return value;
  if (!path) return std::optional<std::string>();

  std::string contents;
  Status st = ReadFile(*path, &contents);
  if (!st.ok()) return st.WithContext("reading " + file_name);
  TrimTrailingWhitespace(&contents);
  if (contents.empty()) {
    return Status::InvalidArgument(file_name + " names " + *path + ", which is empty");
  }
  return std::optional<std::string>(std::move(contents));
}

}  // namespace otelstack

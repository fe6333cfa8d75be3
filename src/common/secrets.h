// Reading secrets (keys, passwords) from the environment.
//
// A secret named NAME comes from one of two places:
//   NAME       the value itself, or
//   NAME_FILE  the path of a file holding it (Docker/Kubernetes secrets);
//              trailing whitespace (the usual final newline) is trimmed.
// Setting both is a configuration mistake and fails with InvalidArgument.
// An empty NAME or NAME_FILE counts as unset (compose files often write
// "NAME=" to mean "not configured").
//
// Error messages name the variable and the file but never contain the secret;
// callers must not log the returned value either.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace otelstack {

// Returns the secret, std::nullopt when neither variable is set, or an error:
// InvalidArgument when both are set or the file holds only whitespace,
// IOError naming the file when it cannot be read.
StatusOr<std::optional<std::string>> ReadSecret(std::string_view env_name);

}  // namespace otelstack

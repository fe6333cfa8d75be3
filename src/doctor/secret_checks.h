// Doctor checks for secrets: the session secret, the encryption (master)
// key, and where secrets are kept.
//
//   session.secret     auth::LoadSessionSecrets(data_dir, production=true):
//                      PASS naming the variable used; FAIL with the loader's
//                      reason (missing, weak, published default), noting a
//                      development-generated <data_dir>/session.secret, which
//                      production ignores.
//   encryption.key     OTELSTACK_ENCRYPTION_KEY[_FILE] of 64 hex characters:
//                      PASS; malformed: FAIL; else <data_dir>/master.key:
//                      group/other access FAIL, present 0600 WARN (back it
//                      up), absent WARN (first start generates it).
//   secrets.config     the --config YAML must hold no secret-looking key
//                      (password, secret, token, key, except tls-key which is
//                      a path): FAIL naming the keys, never the values.
//   secrets.env        WARN for secrets set directly in the environment
//                      rather than through NAME_FILE, and for NAME_FILE files
//                      readable by group or others.
// They read the process environment (common/secrets.h) and the files named.
#pragma once

#include <string>

#include "doctor/check.h"

namespace otelstack::doctor {

CheckResult CheckSessionSecret(const std::string& data_dir);
CheckResult CheckEncryptionKey(const std::string& data_dir);
CheckResult CheckConfigFileSecrets(const std::string& config_file);
CheckResult CheckSecretEnvironment();

}  // namespace otelstack::doctor

// The master key: 32 random bytes that seal (AES-256-GCM) the secrets kept in
// the metadata store. Losing it makes stored copies unrevealable, though keys
// still verify (verification uses digests, not the sealed copies).
//
// Sources, in order:
//   1. OTELSTACK_ENCRYPTION_KEY or OTELSTACK_ENCRYPTION_KEY_FILE (see
//      common/secrets.h): must be 64 hex characters (generate one with
//      `openssl rand -hex 32`); anything else is InvalidArgument.
//   2. <data_dir>/master.key: 64 hex characters and an optional newline. It
//      must not be accessible by group or others (PermissionDenied, with the
//      chmod that fixes it).
//   3. Otherwise a new key is generated into <data_dir>/master.key (mode
//      0600), which is logged as a warning (never the key itself). Two
//      processes starting at once agree on one key: the file is published with
//      link(2), which fails if another process got there first, and the loser
//      reads the winner's key.
// The data directory is created (mode 0700) if missing.
#pragma once

#include <string>

#include "common/status.h"

namespace otelstack::meta {

inline constexpr char kEncryptionKeyEnv[] = "OTELSTACK_ENCRYPTION_KEY";
inline constexpr char kMasterKeyFileName[] = "master.key";

enum class MasterKeySource { kEnvironment, kFile, kGenerated };

struct MasterKey {
  std::string bytes;  // exactly 32 bytes
  MasterKeySource source = MasterKeySource::kFile;
};

StatusOr<MasterKey> LoadOrCreateMasterKey(const std::string& data_dir);

}  // namespace otelstack::meta

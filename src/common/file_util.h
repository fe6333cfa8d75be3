// Small POSIX file helpers shared by modules that keep state on disk (the
// store, the metadata store, the CLI), plus random bytes and hex encoding.
//
// Paths are plain strings. Every failure is an IOError (or InvalidArgument)
// whose message names the path and the failing system call's error, so a
// caller can return it unchanged. File contents never appear in messages.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace otelstack {

// Creates `path` and any missing parents (like mkdir -p), then sets the mode
// of `path` itself to exactly `mode` (not filtered by the umask). Parents that
// had to be created get 0755 filtered by the umask. Fails if `path` exists and
// is not a directory, or if its mode cannot be set (e.g. owned by another user).
Status EnsureDir(const std::string& path, mode_t mode);

// Replaces `path` with `contents` atomically: a reader sees either the old
// file or the complete new one, also after a crash. Writes `path`.tmp (created
// with exactly `mode`), fsyncs it, renames it over `path` and fsyncs the
// directory. The temporary file is removed on failure. Not safe against two
// writers of the same path at the same time (they share the .tmp name).
Status WriteFileAtomic(const std::string& path, std::string_view contents, mode_t mode);

// Replaces *out with the whole contents of `path`.
Status ReadFile(const std::string& path, std::string* out);

// The contents of a file that holds a secret (a key file in the data dir):
// it must be a regular file (symlinks are not followed) that neither group
// nor others may access. NotFound if it does not exist; PermissionDenied,
// with the chmod that fixes it, if its mode is too open.
StatusOr<std::string> ReadPrivateFile(const std::string& path);

// fsyncs a directory so that entries created, renamed or removed in it are
// durable.
Status FsyncDir(const std::string& dir);

// The directory part of `path` ("." when it has none): what FsyncDir needs
// after creating or renaming `path`.
std::string DirName(const std::string& path);

// Replaces *out with `n` cryptographically secure random bytes (OpenSSL
// RAND_bytes). Fails only if the generator cannot be seeded.
Status RandomBytes(size_t n, std::string* out);

// Lowercase hexadecimal, two characters per byte.
std::string HexEncode(std::string_view bytes);

// Decodes hexadecimal of either case into *out. Returns false (leaving *out
// unspecified) if `hex` has odd length or a non-hex character.
bool HexDecode(std::string_view hex, std::string* out);

}  // namespace otelstack

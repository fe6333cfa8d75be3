#include "meta/master_key.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "common/file_util.h"
#include "common/secrets.h"
#include "meta/crypto.h"

namespace otelstack::meta {

namespace {

constexpr char kGenerateHint[] = "generate one with: openssl rand -hex 32";

// Decodes a 64-hex-character key (surrounding whitespace allowed).
bool ParseHexKey(std::string_view text, std::string* key) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  size_t end = text.find_last_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return false;
  text = text.substr(begin, end - begin + 1);
  return text.size() == 2 * kAesKeySize && HexDecode(text, key);
}

// Reads master.key; NotFound if it does not exist.
StatusOr<std::string> ReadKeyFile(const std::string& path) {
  StatusOr<std::string> read = ReadPrivateFile(path);
  if (!read.ok()) return read.status();
  std::string text = std::move(*read);
  std::string key;
  bool ok = ParseHexKey(text, &key);
  OPENSSL_cleanse(text.data(), text.size());
  if (!ok) return Status::Corruption(path + " does not hold a 64-hex-character key");
  return key;
}

// Writes a new key to a private temporary file and publishes it with link(2),
// which never replaces an existing master.key. Returns AlreadyExists if another
// process published one first.
StatusOr<std::string> GenerateKeyFile(const std::string& data_dir, const std::string& path) {
  std::string key;
  OTELSTACK_RETURN_IF_ERROR(RandomBytes(kAesKeySize, &key));
  std::string text = HexEncode(key) + "\n";
  // A name of its own, so concurrent generators never write the same file.
  std::string nonce;
  OTELSTACK_RETURN_IF_ERROR(RandomBytes(8, &nonce));
  const std::string tmp = path + ".tmp." + HexEncode(nonce);
  Status st = WriteFileAtomic(tmp, text, 0600);
  OPENSSL_cleanse(text.data(), text.size());
  if (!st.ok()) return st;
  int link_rc = ::link(tmp.c_str(), path.c_str());
  int link_err = errno;
  ::unlink(tmp.c_str());
  if (link_rc != 0) {
    if (link_err == EEXIST) return Status::AlreadyExists(path + " was created concurrently");
    return Status::FromErrno("link " + tmp + " to " + path, link_err);
  }
  OTELSTACK_RETURN_IF_ERROR(FsyncDir(data_dir));
  return key;
}

}  // namespace

StatusOr<MasterKey> LoadOrCreateMasterKey(const std::string& data_dir) {
  StatusOr<std::optional<std::string>> secret = ReadSecret(kEncryptionKeyEnv);
  if (!secret.ok()) return secret.status();
  if (secret->has_value()) {
    MasterKey mk{.bytes = {}, .source = MasterKeySource::kEnvironment};
    bool ok = ParseHexKey(**secret, &mk.bytes);
    OPENSSL_cleanse((*secret)->data(), (*secret)->size());
    if (!ok) {
      return Status::InvalidArgument(std::string(kEncryptionKeyEnv) + " must be 64 hex characters (32 bytes); " +
                                     kGenerateHint);
    }
    return mk;
  }

  OTELSTACK_RETURN_IF_ERROR(EnsureDir(data_dir, 0700));
  const std::string path = data_dir + "/" + kMasterKeyFileName;
  StatusOr<std::string> existing = ReadKeyFile(path);
  if (existing.ok()) return MasterKey{.bytes = std::move(existing).value(), .source = MasterKeySource::kFile};
  if (existing.status().code() != Status::Code::kNotFound) return existing.status();

  StatusOr<std::string> generated = GenerateKeyFile(data_dir, path);
  if (generated.ok()) {
    spdlog::warn(
        "generated a new master key in {}: it encrypts stored secrets, so back it up with the data directory "
        "(or set {} / {}_FILE)",
        path, kEncryptionKeyEnv, kEncryptionKeyEnv);
    return MasterKey{.bytes = std::move(generated).value(), .source = MasterKeySource::kGenerated};
  }
  if (generated.status().code() != Status::Code::kAlreadyExists) return generated.status();
  existing = ReadKeyFile(path);
  if (!existing.ok()) return existing.status();
  return MasterKey{.bytes = std::move(existing).value(), .source = MasterKeySource::kFile};
}

}  // namespace otelstack::meta

#include "auth/password_hash.h"

#include <argon2.h>

#include <string>

#include "common/file_util.h"

namespace otelstack::auth {

namespace {

constexpr uint32_t kSaltBytes = 16;
constexpr uint32_t kHashBytes = 32;
constexpr std::string_view kArgon2idPrefix = "$argon2id$";

}  // namespace

StatusOr<std::string> HashPassword(std::string_view password, const Argon2Params& params) {
  std::string salt;
  Status st = RandomBytes(kSaltBytes, &salt);
  if (!st.ok()) return Status::Internal("generating a password salt: " + st.message());
  // argon2_encodedlen counts the terminating NUL.
  size_t encoded_len =
      argon2_encodedlen(params.time_cost, params.memory_kib, params.parallelism, kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(encoded_len, '\0');
  int rc = argon2id_hash_encoded(params.time_cost, params.memory_kib, params.parallelism, password.data(),
                                 password.size(), salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    return Status::InvalidArgument(std::string("argon2id hashing failed: ") + argon2_error_message(rc));
  }
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  // Only argon2id: anything else (argon2i, bcrypt, garbage) is not ours.
  if (encoded.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix) return false;
  const std::string encoded_z(encoded);  // libargon2 wants a NUL-terminated string
  return argon2id_verify(encoded_z.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void SpendVerifyTime() {
  // A real hash with the default parameters, so that verifying against it
  // costs what verifying a real account's password costs. If hashing ever
  // fails, the fallback is still a well-formed string (verification then
  // fails fast, which only weakens the timing cover, never correctness).
  static const std::string reference = [] {
    StatusOr<std::string> hash = HashPassword("otelstack timing reference");
    return hash.ok() ? std::move(hash).value() : std::string(kArgon2idPrefix);
  }();
  (void)VerifyPassword(reference, "not the reference password");
}

}  // namespace otelstack::auth

#include "meta/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <climits>
#include <memory>

#include "common/file_util.h"

namespace otelstack::meta {

namespace {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* MutableBytes(std::string* s) { return reinterpret_cast<unsigned char*>(s->data()); }

}  // namespace

std::string Sha256(std::string_view data) {
  std::string digest(kSha256Size, '\0');
  SHA256(Bytes(data), data.size(), MutableBytes(&digest));
  return digest;
}

StatusOr<std::string> SealAesGcm(std::string_view key, std::string_view plaintext, std::string_view associated_data) {
  if (key.size() != kAesKeySize) return Status::InvalidArgument("AES-256-GCM key must be 32 bytes");
  if (plaintext.size() > INT_MAX / 2 || associated_data.size() > INT_MAX / 2) {
    return Status::InvalidArgument("AES-256-GCM input too large");
  }
  std::string nonce;
  OTELSTACK_RETURN_IF_ERROR(RandomBytes(kGcmNonceSize, &nonce));

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return Status::Internal("EVP_CIPHER_CTX_new failed");
  std::string out(kGcmNonceSize + plaintext.size() + kGcmTagSize, '\0');
  out.replace(0, kGcmNonceSize, nonce);
  unsigned char* cipher = MutableBytes(&out) + kGcmNonceSize;
  int len = 0;
  // The default GCM IV length is 12 bytes, which is kGcmNonceSize.
  bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), Bytes(nonce)) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                              static_cast<int>(associated_data.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), cipher, &len, Bytes(plaintext), static_cast<int>(plaintext.size())) == 1 &&
            static_cast<size_t>(len) == plaintext.size() && EVP_EncryptFinal_ex(ctx.get(), cipher + len, &len) == 1 &&
            len == 0 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize),
                                cipher + plaintext.size()) == 1;
  if (!ok) return Status::Internal("AES-256-GCM encryption failed");
  return out;
}

StatusOr<std::string> OpenAesGcm(std::string_view key, std::string_view sealed, std::string_view associated_data) {
  if (key.size() != kAesKeySize) return Status::InvalidArgument("AES-256-GCM key must be 32 bytes");
  if (sealed.size() < kGcmNonceSize + kGcmTagSize) return Status::Corruption("sealed value too short");
  if (sealed.size() > INT_MAX / 2 || associated_data.size() > INT_MAX / 2) {
    return Status::InvalidArgument("AES-256-GCM input too large");
  }
  std::string_view nonce = sealed.substr(0, kGcmNonceSize);
  std::string_view cipher = sealed.substr(kGcmNonceSize, sealed.size() - kGcmNonceSize - kGcmTagSize);
  // EVP_CTRL_GCM_SET_TAG takes a non-const pointer; give it a copy.
  std::string tag(sealed.substr(sealed.size() - kGcmTagSize));

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return Status::Internal("EVP_CIPHER_CTX_new failed");
  std::string plain(cipher.size(), '\0');
  int len = 0;
  bool setup =
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), Bytes(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data), static_cast<int>(associated_data.size())) ==
          1 &&
      EVP_DecryptUpdate(ctx.get(), MutableBytes(&plain), &len, Bytes(cipher), static_cast<int>(cipher.size())) == 1 &&
      static_cast<size_t>(len) == cipher.size() &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize), tag.data()) == 1;
  if (!setup) return Status::Internal("AES-256-GCM decryption setup failed");
  // Final verifies the tag; nothing is released to the caller before it passes.
  if (EVP_DecryptFinal_ex(ctx.get(), MutableBytes(&plain) + len, &len) != 1) {
    OPENSSL_cleanse(plain.data(), plain.size());
    return Status::Corruption("sealed value failed authentication (wrong key, wrong associated data, or tampered)");
  }
  return plain;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace otelstack::meta

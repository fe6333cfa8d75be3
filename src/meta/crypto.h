// Cryptographic primitives for the metadata store, on OpenSSL EVP.
//
// AES-256-GCM sealing protects stored copies of secrets (ingestion keys) with
// the master key. A sealed value is nonce(12) || ciphertext || tag(16); the
// nonce is random per call, so sealing the same plaintext twice gives
// different bytes. The associated data is authenticated but not stored: the
// caller must pass the same bytes to Open, which lets it bind a sealed value
// to its row so that copying it into another row makes it fail to open.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace otelstack::meta {

inline constexpr size_t kSha256Size = 32;
inline constexpr size_t kAesKeySize = 32;
inline constexpr size_t kGcmNonceSize = 12;
inline constexpr size_t kGcmTagSize = 16;

// The 32-byte SHA-256 digest of `data` (raw bytes, not hex).
std::string Sha256(std::string_view data);

// Encrypts and authenticates `plaintext`. `key` must be kAesKeySize bytes
// (else InvalidArgument).
StatusOr<std::string> SealAesGcm(std::string_view key, std::string_view plaintext, std::string_view associated_data);

// Reverses SealAesGcm. Fails with Corruption if `sealed` is too short, or if
// it, the key or the associated data differ from what was sealed.
StatusOr<std::string> OpenAesGcm(std::string_view key, std::string_view sealed, std::string_view associated_data);

// True if a and b hold the same bytes. The time taken depends only on the
// lengths, not on where the contents differ (CRYPTO_memcmp).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace otelstack::meta

// HMAC-SHA-256 and the base64url text form used to put MACs in cookies and
// headers.
#pragma once

#include <string>
#include <string_view>

namespace otelstack::auth {

inline constexpr size_t kHmacSha256Size = 32;

// The raw 32-byte HMAC-SHA-256 of `data` under `key` (any key length).
std::string HmacSha256(std::string_view key, std::string_view data);

// RFC 4648 section 5 base64url without '=' padding: safe in cookie values,
// header values and URLs. Every input has exactly one encoding, so two
// encodings can be compared instead of the decoded bytes.
std::string Base64UrlEncode(std::string_view bytes);

}  // namespace otelstack::auth

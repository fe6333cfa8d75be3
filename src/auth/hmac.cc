#include "auth/hmac.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/any_value_json.h"  // anyvalue::Base64

namespace otelstack::auth {

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  // A one-shot HMAC with SHA-256 cannot fail except on allocation failure,
  // in which case the result is empty and never equals a real MAC.
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), mac, &mac_len) == nullptr) {
    return std::string();
  }
  return std::string(reinterpret_cast<const char*>(mac), mac_len);
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out = anyvalue::Base64(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    }
  }
  return out;
}

}  // namespace otelstack::auth

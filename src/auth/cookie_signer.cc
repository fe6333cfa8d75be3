#include "auth/cookie_signer.h"

#include <cstdlib>

#include "auth/hmac.h"
#include "meta/crypto.h"

namespace otelstack::auth {

CookieSigner::CookieSigner(std::vector<std::string> keys) {
  for (std::string& key : keys) {
    if (!key.empty()) keys_.push_back(std::move(key));
  }
  if (keys_.empty()) std::abort();  // a programming error: LoadSessionSecrets never returns no key
}

std::string CookieSigner::Tag(std::string_view data) const { return Base64UrlEncode(HmacSha256(keys_[0], data)); }

bool CookieSigner::CheckTag(std::string_view data, std::string_view tag) const {
  bool match = false;
  // Every key is tried, so the time does not tell which one matched.
  for (const std::string& key : keys_) {
    match |= meta::ConstantTimeEquals(Base64UrlEncode(HmacSha256(key, data)), tag);
  }
  return match;
}

std::string CookieSigner::Sign(std::string_view value) const {
  std::string out(value);
  out += '.';
  out += Tag(value);
  return out;
}

std::optional<std::string> CookieSigner::Verify(std::string_view signed_value) const {
  size_t dot = signed_value.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::string_view value = signed_value.substr(0, dot);
  if (!CheckTag(value, signed_value.substr(dot + 1))) return std::nullopt;
  return std::string(value);
}

namespace {

std::string CookieAttributes(bool secure, std::chrono::seconds max_age) {
  std::string out =
      "; Path=/; Max-Age=" + std::to_string(max_age.count() < 0 ? 0 : max_age.count()) + "; HttpOnly; SameSite=Lax";
  if (secure) out += "; Secure";
  return out;
}

}  // namespace

std::string SessionCookieHeader(std::string_view signed_value, bool secure, std::chrono::seconds max_age) {
  std::string out = std::string(kSessionCookieName) + "=";
  out += signed_value;
  out += CookieAttributes(secure, max_age);
  return out;
}

std::string ClearSessionCookieHeader(bool secure) {
  return std::string(kSessionCookieName) + "=" + CookieAttributes(secure, std::chrono::seconds(0));
}

}  // namespace otelstack::auth

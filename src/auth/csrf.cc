#include "auth/csrf.h"

namespace otelstack::auth {

namespace {

std::string CsrfInput(std::string_view session_digest_hex) {
  std::string input = "otelstack-csrf\n";
  input += session_digest_hex;
  return input;
}

}  // namespace

std::string CsrfToken(const CookieSigner& signer, std::string_view session_digest_hex) {
  return signer.Tag(CsrfInput(session_digest_hex));
}

bool CheckCsrfToken(const CookieSigner& signer, std::string_view session_digest_hex, std::string_view token) {
  if (token.empty() || session_digest_hex.empty()) return false;
  return signer.CheckTag(CsrfInput(session_digest_hex), token);
}

}  // namespace otelstack::auth

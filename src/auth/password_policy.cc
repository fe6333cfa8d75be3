#include "auth/password_policy.h"

#include <vector>

namespace otelstack::auth {

namespace {

bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// "a", "a and b", "a, b and c".
std::string JoinRequirements(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? " and " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace

Status CheckPasswordPolicy(std::string_view password) {
  bool has_lower = false, has_upper = false, has_digit = false, has_special = false;
  for (char c : password) {
    if (IsAsciiLower(c)) {
      has_lower = true;
    } else if (IsAsciiUpper(c)) {
      has_upper = true;
    } else if (IsAsciiDigit(c)) {
      has_digit = true;
    } else {
      has_special = true;
    }
  }
  std::vector<std::string> missing;
  if (password.size() < kMinPasswordLength) {
    missing.push_back("be at least " + std::to_string(kMinPasswordLength) + " characters long");
  }
  if (password.size() > kMaxPasswordLength) {
    missing.push_back("be at most " + std::to_string(kMaxPasswordLength) + " characters long");
  }
  if (!has_lower) missing.push_back("contain a lower-case letter");
  if (!has_upper) missing.push_back("contain an upper-case letter");
  if (!has_digit) missing.push_back("contain a digit");
  if (!has_special) missing.push_back("contain a special character (not a letter or digit)");
  if (missing.empty()) return Status::OK();
  return Status::InvalidArgument("password must " + JoinRequirements(missing));
}

std::string NormalizeEmail(std::string_view email) {
  size_t begin = 0, end = email.size();
  while (begin < end && IsAsciiSpace(email[begin])) ++begin;
  while (end > begin && IsAsciiSpace(email[end - 1])) --end;
  std::string out(email.substr(begin, end - begin));
  for (char& c : out) {
    if (IsAsciiUpper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status CheckEmail(std::string_view email) {
  if (email.empty()) return Status::InvalidArgument("email address is empty");
  if (email.size() > kMaxEmailLength) {
    return Status::InvalidArgument("email address is longer than " + std::to_string(kMaxEmailLength) + " characters");
  }
  for (char c : email) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      return Status::InvalidArgument("email address contains a space or control character");
    }
  }
  size_t at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return Status::InvalidArgument("email address must contain exactly one '@'");
  }
  std::string_view local = email.substr(0, at);
  std::string_view domain = email.substr(at + 1);
  if (local.empty()) return Status::InvalidArgument("email address has nothing before the '@'");
  if (local.size() > 64) return Status::InvalidArgument("email address has more than 64 characters before the '@'");
  size_t dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || domain.front() == '.' || domain.back() == '.') {
    return Status::InvalidArgument("email address domain must contain a dot between two names (e.g. example.com)");
  }
  return Status::OK();
}

}  // namespace otelstack::auth

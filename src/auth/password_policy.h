// What a password and an email address must look like before an account is
// created or a password changed.
//
// The password policy is HyperDX's: 12 to 72 characters, with at least one
// lower-case letter, one upper-case letter, one digit and one special
// character. Lengths count bytes, not Unicode code points (a non-ASCII
// character counts as two to four); 72 is bcrypt's input limit, kept so that
// a password accepted by HyperDX is accepted here and vice versa. Letters and
// digits are ASCII; every other byte (punctuation, space, non-ASCII) is
// "special".
//
// Neither check ever puts the password in its message.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace otelstack::auth {

inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 72;
inline constexpr size_t kMaxEmailLength = 254;  // RFC 5321 path limit minus the brackets

// OK, or InvalidArgument whose message lists everything the password lacks,
// e.g. "password must be at least 12 characters long, contain an upper-case
// letter and contain a digit".
Status CheckPasswordPolicy(std::string_view password);

// The form in which emails are stored and compared: surrounding ASCII
// whitespace removed, ASCII letters lower-cased (non-ASCII bytes unchanged).
std::string NormalizeEmail(std::string_view email);

// OK if `email` is a plausible address, else InvalidArgument saying why:
// at most 254 bytes, exactly one '@', a non-empty local part of at most 64
// bytes, a domain containing a dot that neither starts nor ends it, and no
// spaces or control characters. Pass the normalized form (NormalizeEmail);
// deliverability is not checked.
Status CheckEmail(std::string_view email);

}  // namespace otelstack::auth

// RedactSecrets: a last guard that keeps otelstack credentials out of audit
// records when a user pastes one into a query or a caller puts one in a
// detail by mistake.
//
// Replaced with "[REDACTED]":
//  - a run of 64 or more hex digits (either case): ingestion keys are 64
//    lowercase hex characters, and so are SHA-256 digests of keys and
//    sessions, which are redacted too. Shorter runs (trace ids: 32, span
//    ids: 16) are kept.
//  - "osk_" followed by 16 or more letters or digits (a personal key is
//    "osk_" + 64 hex; a truncated or mistyped one is still caught). The
//    prefix is redacted with the key.
//  - "Bearer" (any case, at a word start) followed by spaces or tabs and a
//    token of RFC 7235 token68 characters: the token becomes "[REDACTED]",
//    the word "Bearer" is kept. (Prose such as "bearer of" loses its next
//    word too: the guard prefers over-redaction.)
//
// Not caught: passwords (they have no shape), secrets of other systems
// (connection passwords, cloud keys), and credentials split by whitespace or
// encoded (URL-escaped, base64). Callers must keep those out of events.
//
// Everything else is copied unchanged, byte for byte (no UTF-8 assumption).
#pragma once

#include <string>
#include <string_view>

namespace otelstack::audit {

inline constexpr std::string_view kRedacted = "[REDACTED]";

std::string RedactSecrets(std::string_view text);

}  // namespace otelstack::audit

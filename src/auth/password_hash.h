// Password hashing with argon2id (libargon2), in the standard encoded form
// "$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt b64>$<hash b64>", which
// carries its own parameters: stored hashes stay verifiable after the
// defaults change.
//
// The defaults are OWASP's recommendation for argon2id (19 MiB, 2 passes,
// 1 lane); a hash takes tens of milliseconds, so callers must throttle login
// attempts (login_throttle.h) and not hash on a latency-critical thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace otelstack::auth {

struct Argon2Params {
  uint32_t time_cost = 2;       // passes over memory
  uint32_t memory_kib = 19456;  // 19 MiB
  uint32_t parallelism = 1;     // lanes
};

// Hashes `password` with a fresh random 16-byte salt and a 32-byte output, so
// hashing the same password twice gives different strings. InvalidArgument if
// libargon2 rejects the parameters (e.g. memory below 8 KiB per lane),
// Internal if the random generator fails. The password is not checked against
// the policy (password_policy.h): that is the caller's decision.
StatusOr<std::string> HashPassword(std::string_view password, const Argon2Params& params = {});

// True if `encoded` is an argon2id hash (as produced by HashPassword) of
// `password`. False for a wrong password and for anything that is not a
// well-formed argon2id encoded string. The comparison is constant-time.
bool VerifyPassword(std::string_view encoded, std::string_view password);

// Spends the time of a VerifyPassword against a default-parameter hash, and
// returns nothing. Call it when a login names an unknown account, so that the
// response time does not reveal which emails have accounts. The reference
// hash is computed once, on the first call.
void SpendVerifyTime();

}  // namespace otelstack::auth

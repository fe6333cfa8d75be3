#include "auth/password_hash.h"

#include <gtest/gtest.h>

namespace otelstack::auth {
namespace {

// Small parameters keep the tests fast under sanitizers; one test uses the
// defaults.
const Argon2Params kFast{.time_cost = 1, .memory_kib = 64, .parallelism = 1};

TEST(PasswordHash, RoundTrip) {
  StatusOr<std::string> hash = HashPassword("Correct-horse9", kFast);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "Correct-horse9"));
  EXPECT_FALSE(VerifyPassword(*hash, "Correct-horse8"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
}

TEST(PasswordHash, SaltMakesHashesDiffer) {
  StatusOr<std::string> a = HashPassword("same password", kFast);
  StatusOr<std::string> b = HashPassword("same password", kFast);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same password"));
  EXPECT_TRUE(VerifyPassword(*b, "same password"));
}

TEST(PasswordHash, DefaultParametersAreOwaspRecommendation) {
  StatusOr<std::string> hash = HashPassword("Correct-horse9");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "Correct-horse9"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct-horse9"));
}

TEST(PasswordHash, RejectsMalformedOrForeignHashes) {
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$m=64,t=1,p=1$garbage", "x"));
  EXPECT_FALSE(VerifyPassword("$2b$10$abcdefghijklmnopqrstuuFJ4Zk3wW3qV2Q1ZJ9F0cXxU8q1c2f4e", "x"));  // bcrypt
  StatusOr<std::string> hash = HashPassword("pw", kFast);
  ASSERT_TRUE(hash.ok());
  std::string argon2i = *hash;
  argon2i.replace(0, 9, "$argon2i");  // "$argon2id" -> "$argon2i"
  EXPECT_FALSE(VerifyPassword(argon2i, "pw"));
}

TEST(PasswordHash, InvalidParametersAreAnError) {
  StatusOr<std::string> hash = HashPassword("pw", Argon2Params{.time_cost = 0, .memory_kib = 64, .parallelism = 1});
  EXPECT_EQ(hash.status().code(), Status::Code::kInvalidArgument);
}

TEST(PasswordHash, SpendVerifyTimeRuns) {
  SpendVerifyTime();  // computes the reference
  SpendVerifyTime();  // reuses it
}

}  // namespace
}  // namespace otelstack::auth

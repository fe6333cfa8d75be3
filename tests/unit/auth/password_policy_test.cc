#include "auth/password_policy.h"

#include <gtest/gtest.h>

namespace otelstack::auth {
namespace {

TEST(PasswordPolicy, AcceptsCompliantPassword) { EXPECT_TRUE(CheckPasswordPolicy("Correct-horse9").ok()); }

TEST(PasswordPolicy, LengthBoundaries) {
  // "Aa1!" + filler of lower-case letters.
  auto make = [](size_t n) { return std::string("Aa1!") + std::string(n - 4, 'x'); };
  Status eleven = CheckPasswordPolicy(make(11));
  EXPECT_EQ(eleven.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(eleven.message(), "password must be at least 12 characters long");
  EXPECT_TRUE(CheckPasswordPolicy(make(12)).ok());
  EXPECT_TRUE(CheckPasswordPolicy(make(72)).ok());
  Status seventy_three = CheckPasswordPolicy(make(73));
  EXPECT_EQ(seventy_three.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(seventy_three.message(), "password must be at most 72 characters long");
}

TEST(PasswordPolicy, NamesEachMissingClass) {
  EXPECT_EQ(CheckPasswordPolicy("ABCDEFGH123!").message(), "password must contain a lower-case letter");
  EXPECT_EQ(CheckPasswordPolicy("abcdefgh123!").message(), "password must contain an upper-case letter");
  EXPECT_EQ(CheckPasswordPolicy("abcdEFGHijk!").message(), "password must contain a digit");
  EXPECT_EQ(CheckPasswordPolicy("abcdEFGH1234").message(),
            "password must contain a special character (not a letter or digit)");
}

TEST(PasswordPolicy, ListsEverythingMissingWithoutThePassword) {
  Status st = CheckPasswordPolicy("hunter");
  EXPECT_EQ(st.message(),
            "password must be at least 12 characters long, contain an upper-case letter, contain a digit and "
            "contain a special character (not a letter or digit)");
  EXPECT_EQ(st.message().find("hunter"), std::string::npos);
  EXPECT_EQ(CheckPasswordPolicy("").code(), Status::Code::kInvalidArgument);
}

TEST(PasswordPolicy, SpaceAndNonAsciiCountAsSpecial) {
  EXPECT_TRUE(CheckPasswordPolicy("Correct horse9").ok());
  EXPECT_TRUE(CheckPasswordPolicy("Correcthorse9\xC3\xA9").ok());  // é
}

TEST(Email, Normalize) {
  EXPECT_EQ(NormalizeEmail("  Alice.Smith@Example.COM\n"), "alice.smith@example.com");
  EXPECT_EQ(NormalizeEmail("\xC3\x89mile@x.io"), "\xC3\x89mile@x.io");  // non-ASCII unchanged
  EXPECT_EQ(NormalizeEmail("   "), "");
}

TEST(Email, AcceptsPlausibleAddresses) {
  EXPECT_TRUE(CheckEmail("a@b.co").ok());
  EXPECT_TRUE(CheckEmail("first.last+tag@sub.example.org").ok());
}

TEST(Email, RejectsImplausibleAddresses) {
  for (std::string_view bad : {"", "plainaddress", "@example.com", "a@", "a@localhost", "a@@b.com", "a@b@c.com",
                               "a b@c.com", "a@b.com ", "a@.com", "a@com.", "a\t@b.com"}) {
    EXPECT_EQ(CheckEmail(bad).code(), Status::Code::kInvalidArgument) << bad;
  }
  std::string long_local = std::string(65, 'a') + "@b.com";
  EXPECT_FALSE(CheckEmail(long_local).ok());
  std::string at_limit = std::string(64, 'a') + "@" + std::string(254 - 65 - 4, 'b') + ".com";
  ASSERT_EQ(at_limit.size(), 254u);
  EXPECT_TRUE(CheckEmail(at_limit).ok());
  EXPECT_FALSE(CheckEmail(at_limit + "m").ok());
}

}  // namespace
}  // namespace otelstack::auth

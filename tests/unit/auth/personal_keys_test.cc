#include "auth/personal_keys.h"

#include <gtest/gtest.h>

#include <cctype>

#include "fake_identity_repository.h"

namespace otelstack::auth {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class PersonalKeysTest : public ::testing::Test {
 protected:
  PersonalKeysTest() : keys_(&repo_, clock_.AsClock()) { user_ = repo_.AddUser("alice@example.com"); }

  CreatedPersonalKey MustCreate(std::string_view name = "ci") {
    StatusOr<CreatedPersonalKey> created = keys_.Create(user_.id, name);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return std::move(created).value();
  }
  Status::Code AuthCode(const std::string& header) { return keys_.Authenticate(header).status().code(); }

  testing::FakeIdentityRepository repo_;
  testing::FakeClock clock_;
  PersonalKeys keys_;
  meta::User user_;
};

TEST_F(PersonalKeysTest, CreateStoresOnlyTheDigest) {
  CreatedPersonalKey created = MustCreate();
  EXPECT_TRUE(IsWellFormedPersonalKey(created.raw));
  EXPECT_EQ(created.raw.size(), 4u + 64u);
  EXPECT_EQ(created.raw.rfind("osk_", 0), 0u);
  EXPECT_EQ(created.key.digest_hex, PersonalKeyDigest(created.raw));
  EXPECT_EQ(created.key.digest_hex.size(), 64u);
  EXPECT_EQ(created.key.user_id, user_.id);
  EXPECT_EQ(created.key.name, "ci");
  EXPECT_EQ(created.key.created_at, clock_.Now());
  EXPECT_NE(created.raw, MustCreate().raw);
}

TEST_F(PersonalKeysTest, NameIsValidated) {
  EXPECT_EQ(keys_.Create(user_.id, "").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(keys_.Create(user_.id, std::string(129, 'n')).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(keys_.Create(user_.id, "bad\nname").status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(keys_.Create(user_.id, std::string(128, 'n')).ok());
}

TEST_F(PersonalKeysTest, Authenticate) {
  CreatedPersonalKey created = MustCreate();
  StatusOr<AuthenticatedKey> auth = keys_.Authenticate("Bearer " + created.raw);
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  EXPECT_EQ(auth->user.id, user_.id);
  EXPECT_EQ(auth->key.id, created.key.id);
  EXPECT_EQ(auth->key.last_used_at, clock_.Now());
  // Scheme is case-insensitive; surrounding whitespace is ignored.
  EXPECT_TRUE(keys_.Authenticate("bearer " + created.raw).ok());
  EXPECT_TRUE(keys_.Authenticate("  BEARER   " + created.raw + " ").ok());
}

TEST_F(PersonalKeysTest, RejectsMalformedHeaders) {
  CreatedPersonalKey created = MustCreate();
  std::string upper = created.raw;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& header :
       {std::string(""), std::string("Bearer"), std::string("Bearer "), created.raw, "Basic " + created.raw,
        "Bearer " + created.raw.substr(4), "Bearer " + created.raw.substr(0, 67), "Bearer " + created.raw + "0",
        "Bearer osk_" + std::string(64, 'g'), "Bearer " + upper, "Bearer " + created.raw + " extra",
        "Bearer" + created.raw}) {
    EXPECT_EQ(AuthCode(header), Status::Code::kUnauthenticated) << header;
  }
}

TEST_F(PersonalKeysTest, UnknownKeyIsUnauthenticated) {
  EXPECT_EQ(AuthCode("Bearer osk_" + std::string(64, 'a')), Status::Code::kUnauthenticated);
}

TEST_F(PersonalKeysTest, Revoke) {
  CreatedPersonalKey created = MustCreate();
  CreatedPersonalKey other = MustCreate("other");
  ASSERT_TRUE(keys_.Revoke(user_.id, created.key.id).ok());
  EXPECT_EQ(AuthCode("Bearer " + created.raw), Status::Code::kUnauthenticated);
  EXPECT_TRUE(keys_.Authenticate("Bearer " + other.raw).ok());
  meta::User bob = repo_.AddUser("bob@example.com");
  EXPECT_EQ(keys_.Revoke(bob.id, other.key.id).code(), Status::Code::kNotFound);  // not bob's key
  EXPECT_TRUE(keys_.Authenticate("Bearer " + other.raw).ok());
}

TEST_F(PersonalKeysTest, RotateKeepsOldKeyForGrace) {
  CreatedPersonalKey old_key = MustCreate("deploy");
  StatusOr<CreatedPersonalKey> rotated = keys_.Rotate(user_.id, old_key.key.id, hours(24));
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_EQ(rotated->key.name, "deploy");
  EXPECT_NE(rotated->raw, old_key.raw);
  EXPECT_TRUE(keys_.Authenticate("Bearer " + old_key.raw).ok());
  EXPECT_TRUE(keys_.Authenticate("Bearer " + rotated->raw).ok());

  clock_.Advance(hours(24) - seconds(1));
  EXPECT_TRUE(keys_.Authenticate("Bearer " + old_key.raw).ok());
  clock_.Advance(seconds(1));
  EXPECT_EQ(AuthCode("Bearer " + old_key.raw), Status::Code::kUnauthenticated);
  EXPECT_TRUE(keys_.Authenticate("Bearer " + rotated->raw).ok());

  // The expired key cannot be rotated again.
  EXPECT_EQ(keys_.Rotate(user_.id, old_key.key.id).status().code(), Status::Code::kFailedPrecondition);
}

TEST_F(PersonalKeysTest, RotateWithZeroGraceEndsOldKeyNow) {
  CreatedPersonalKey old_key = MustCreate();
  ASSERT_TRUE(keys_.Rotate(user_.id, old_key.key.id, seconds(0)).ok());
  EXPECT_EQ(AuthCode("Bearer " + old_key.raw), Status::Code::kUnauthenticated);
}

TEST_F(PersonalKeysTest, RotateErrors) {
  CreatedPersonalKey created = MustCreate();
  EXPECT_EQ(keys_.Rotate(user_.id, 999).status().code(), Status::Code::kNotFound);
  meta::User bob = repo_.AddUser("bob@example.com");
  EXPECT_EQ(keys_.Rotate(bob.id, created.key.id).status().code(), Status::Code::kNotFound);
  ASSERT_TRUE(keys_.Revoke(user_.id, created.key.id).ok());
  EXPECT_EQ(keys_.Rotate(user_.id, created.key.id).status().code(), Status::Code::kFailedPrecondition);
}

TEST_F(PersonalKeysTest, LastUseRecordedAtMostOncePerMinute) {
  CreatedPersonalKey created = MustCreate();
  const std::string header = "Bearer " + created.raw;
  ASSERT_TRUE(keys_.Authenticate(header).ok());
  EXPECT_EQ(repo_.touch_key_calls(), 1u);
  clock_.Advance(seconds(59));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(keys_.Authenticate(header).ok());
  EXPECT_EQ(repo_.touch_key_calls(), 1u);
  clock_.Advance(seconds(1));
  StatusOr<AuthenticatedKey> auth = keys_.Authenticate(header);
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(repo_.touch_key_calls(), 2u);
  EXPECT_EQ(auth->key.last_used_at, clock_.Now());
}

TEST_F(PersonalKeysTest, DeletedUserIsUnauthenticated) {
  meta::User bob = repo_.AddUser("bob@example.com");
  StatusOr<CreatedPersonalKey> created = keys_.Create(bob.id, "bob's");
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(keys_.Authenticate("Bearer " + created->raw).ok());
  ASSERT_TRUE(repo_.DeleteUser(bob.id).ok());
  EXPECT_EQ(AuthCode("Bearer " + created->raw), Status::Code::kUnauthenticated);
}

}  // namespace
}  // namespace otelstack::auth

#include "auth/sessions.h"

#include <gtest/gtest.h>

#include "auth/csrf.h"
#include "fake_identity_repository.h"

namespace otelstack::auth {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const std::string kKey = "session-key-0123456789abcdef0123456789abcdef";

class SessionsTest : public ::testing::Test {
 protected:
  SessionsTest() : signer_({kKey}), sessions_(&repo_, &signer_, clock_.AsClock()) {
    user_ = repo_.AddUser("alice@example.com");
  }

  NewSession MustCreate() {
    StatusOr<NewSession> created = sessions_.Create(user_.id, "192.0.2.1", "test-agent/1.0");
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return std::move(created).value();
  }

  testing::FakeIdentityRepository repo_;
  testing::FakeClock clock_;
  CookieSigner signer_;
  SessionManager sessions_;
  meta::User user_;
};

TEST_F(SessionsTest, CreateStoresOnlyTheDigest) {
  NewSession created = MustCreate();
  std::optional<std::string> id = signer_.Verify(created.cookie_value);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->size(), 64u);  // 32 random bytes in hex
  EXPECT_EQ(created.record.id_digest_hex, SessionIdDigest(*id));
  EXPECT_NE(created.record.id_digest_hex, *id);
  std::optional<meta::SessionRecord> stored = repo_.SessionByDigest(created.record.id_digest_hex);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->user_id, user_.id);
  EXPECT_EQ(stored->client_address, "192.0.2.1");
  EXPECT_EQ(stored->user_agent, "test-agent/1.0");
  EXPECT_EQ(stored->created_at, clock_.Now());
  EXPECT_EQ(stored->expires_at, clock_.Now() + days(30));
  EXPECT_FALSE(repo_.SessionByDigest(*id).has_value());
  EXPECT_TRUE(CheckCsrfToken(signer_, created.record.id_digest_hex, created.csrf_token));
}

TEST_F(SessionsTest, IdsAreUnique) { EXPECT_NE(MustCreate().cookie_value, MustCreate().cookie_value); }

TEST_F(SessionsTest, UserAgentIsTruncated) {
  StatusOr<NewSession> created = sessions_.Create(user_.id, "192.0.2.1", std::string(10000, 'u'));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->record.user_agent.size(), 512u);
}

TEST_F(SessionsTest, Authenticate) {
  NewSession created = MustCreate();
  StatusOr<AuthenticatedSession> session = sessions_.Authenticate(created.cookie_value);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->user.id, user_.id);
  EXPECT_EQ(session->user.email, "alice@example.com");
  EXPECT_EQ(session->id_digest_hex, created.record.id_digest_hex);
  EXPECT_EQ(session->csrf_token, created.csrf_token);
  EXPECT_TRUE(sessions_.CheckCsrf(*session, created.csrf_token));
  EXPECT_FALSE(sessions_.CheckCsrf(*session, "forged"));
  EXPECT_FALSE(session->touched);  // used within the touch interval
}

TEST_F(SessionsTest, RejectsBadSignatureAndUnknownSession) {
  NewSession created = MustCreate();
  std::string tampered = created.cookie_value;
  tampered[0] = tampered[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(sessions_.Authenticate(tampered).status().code(), Status::Code::kUnauthenticated);
  EXPECT_EQ(sessions_.Authenticate("").status().code(), Status::Code::kUnauthenticated);
  EXPECT_EQ(sessions_.Authenticate("garbage").status().code(), Status::Code::kUnauthenticated);
  // Correctly signed, but never created.
  EXPECT_EQ(sessions_.Authenticate(signer_.Sign(std::string(64, 'a'))).status().code(), Status::Code::kUnauthenticated);
  // Signed with another key.
  CookieSigner other({"another-key-0123456789abcdef0123456789abcdef"});
  std::string id = *signer_.Verify(created.cookie_value);
  EXPECT_EQ(sessions_.Authenticate(other.Sign(id)).status().code(), Status::Code::kUnauthenticated);
}

TEST_F(SessionsTest, Revoke) {
  NewSession created = MustCreate();
  ASSERT_TRUE(sessions_.Revoke(created.cookie_value).ok());
  EXPECT_EQ(sessions_.Authenticate(created.cookie_value).status().code(), Status::Code::kUnauthenticated);
  EXPECT_TRUE(repo_.SessionByDigest(created.record.id_digest_hex)->revoked_at.has_value());
  EXPECT_TRUE(sessions_.Revoke(created.cookie_value).ok());                // idempotent
  EXPECT_TRUE(sessions_.Revoke(signer_.Sign(std::string(64, 'b'))).ok());  // unknown
  EXPECT_EQ(sessions_.Revoke("not-signed").code(), Status::Code::kUnauthenticated);
}

TEST_F(SessionsTest, RevokingOneSessionLeavesOthers) {
  NewSession a = MustCreate();
  NewSession b = MustCreate();
  ASSERT_TRUE(sessions_.Revoke(a.cookie_value).ok());
  EXPECT_TRUE(sessions_.Authenticate(b.cookie_value).ok());
}

TEST_F(SessionsTest, ExpiresWithoutUse) {
  NewSession created = MustCreate();
  clock_.Advance(days(30) - seconds(1));
  // Still valid one second before the end; this use slides the expiry.
  ASSERT_TRUE(sessions_.Authenticate(created.cookie_value).ok());
  clock_.Advance(days(30));
  EXPECT_EQ(sessions_.Authenticate(created.cookie_value).status().code(), Status::Code::kUnauthenticated);
}

TEST_F(SessionsTest, ExactlyAtExpiryIsExpired) {
  NewSession created = MustCreate();
  clock_.Advance(days(30));
  EXPECT_EQ(sessions_.Authenticate(created.cookie_value).status().code(), Status::Code::kUnauthenticated);
}

TEST_F(SessionsTest, RollingTouchAtMostOncePerInterval) {
  NewSession created = MustCreate();
  const meta::TimePoint start = clock_.Now();
  clock_.Advance(seconds(30));
  StatusOr<AuthenticatedSession> s = sessions_.Authenticate(created.cookie_value);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->touched);
  EXPECT_EQ(repo_.touch_session_calls(), 0u);
  EXPECT_EQ(s->expires_at, start + days(30));

  clock_.Advance(seconds(30));  // one minute after creation
  s = sessions_.Authenticate(created.cookie_value);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->touched);
  EXPECT_EQ(s->expires_at, clock_.Now() + days(30));
  EXPECT_EQ(repo_.touch_session_calls(), 1u);
  std::optional<meta::SessionRecord> stored = repo_.SessionByDigest(created.record.id_digest_hex);
  EXPECT_EQ(stored->last_seen_at, clock_.Now());
  EXPECT_EQ(stored->expires_at, clock_.Now() + days(30));

  for (int i = 0; i < 5; ++i) ASSERT_TRUE(sessions_.Authenticate(created.cookie_value).ok());
  EXPECT_EQ(repo_.touch_session_calls(), 1u);

  // Used every 20 days, the session outlives its original 30 days.
  clock_.Advance(days(20));
  ASSERT_TRUE(sessions_.Authenticate(created.cookie_value).ok());
  clock_.Advance(days(20));
  EXPECT_TRUE(sessions_.Authenticate(created.cookie_value).ok());
}

TEST_F(SessionsTest, TouchFailureDoesNotLogOut) {
  NewSession created = MustCreate();
  clock_.Advance(minutes(5));
  repo_.fail_touch_session = Status::IOError("disk full");
  StatusOr<AuthenticatedSession> s = sessions_.Authenticate(created.cookie_value);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_FALSE(s->touched);
}

TEST_F(SessionsTest, DeletedUserIsUnauthenticated) {
  NewSession created = MustCreate();
  meta::User bob = repo_.AddUser("bob@example.com");
  StatusOr<NewSession> bobs = sessions_.Create(bob.id, "", "");
  ASSERT_TRUE(bobs.ok());
  ASSERT_TRUE(repo_.DeleteUser(bob.id).ok());
  EXPECT_EQ(sessions_.Authenticate(bobs->cookie_value).status().code(), Status::Code::kUnauthenticated);
  EXPECT_TRUE(sessions_.Authenticate(created.cookie_value).ok());
}

TEST_F(SessionsTest, SurvivesKeyRotation) {
  NewSession created = MustCreate();
  CookieSigner rotated({"new-session-key-0123456789abcdef0123456789ab", kKey});
  SessionManager after_rotation(&repo_, &rotated, clock_.AsClock());
  StatusOr<AuthenticatedSession> s = after_rotation.Authenticate(created.cookie_value);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(after_rotation.CheckCsrf(*s, created.csrf_token));  // the page's old token still works
}

}  // namespace
}  // namespace otelstack::auth

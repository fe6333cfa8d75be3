#include "auth/cookie_signer.h"

#include <gtest/gtest.h>

#include "auth/csrf.h"

namespace otelstack::auth {
namespace {

const std::string kOld = "old-key-0123456789abcdef0123456789abcdef";
const std::string kNew = "new-key-0123456789abcdef0123456789abcdef";

TEST(CookieSigner, SignAndVerify) {
  CookieSigner signer({kOld});
  std::string signed_value = signer.Sign("abc123");
  EXPECT_EQ(signed_value.rfind("abc123.", 0), 0u);
  EXPECT_EQ(signed_value.size(), std::string("abc123.").size() + 43);
  std::optional<std::string> value = signer.Verify(signed_value);
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, "abc123");
}

TEST(CookieSigner, ValueMayContainDots) {
  CookieSigner signer({kOld});
  EXPECT_EQ(signer.Verify(signer.Sign("a.b.c")), std::optional<std::string>("a.b.c"));
}

TEST(CookieSigner, RejectsTamperedValueOrSignature) {
  CookieSigner signer({kOld});
  std::string signed_value = signer.Sign("abc123");
  std::string tampered_value = signed_value;
  tampered_value[0] = 'b';
  EXPECT_FALSE(signer.Verify(tampered_value).has_value());
  std::string tampered_signature = signed_value;
  tampered_signature.back() = tampered_signature.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(signer.Verify(tampered_signature).has_value());
  EXPECT_FALSE(signer.Verify(signed_value.substr(0, signed_value.size() - 1)).has_value());
  EXPECT_FALSE(signer.Verify("abc123").has_value());                // no signature
  EXPECT_FALSE(signer.Verify("abc123.").has_value());               // empty signature
  EXPECT_FALSE(signer.Verify(signed_value.substr(6)).has_value());  // empty value
  EXPECT_FALSE(signer.Verify("").has_value());
}

TEST(CookieSigner, OtherKeyDoesNotVerify) {
  CookieSigner a({kOld}), b({kNew});
  EXPECT_FALSE(b.Verify(a.Sign("abc")).has_value());
}

TEST(CookieSigner, Rotation) {
  std::string signed_by_old = CookieSigner({kOld}).Sign("session");
  CookieSigner rotated({kNew, kOld});
  EXPECT_EQ(rotated.Verify(signed_by_old), std::optional<std::string>("session"));
  // New signatures use the first key.
  EXPECT_TRUE(CookieSigner({kNew}).Verify(rotated.Sign("x")).has_value());
  EXPECT_FALSE(CookieSigner({kOld}).Verify(rotated.Sign("x")).has_value());
  // Once the old key is dropped, its cookies stop working.
  EXPECT_FALSE(CookieSigner({kNew}).Verify(signed_by_old).has_value());
}

TEST(CookieSigner, EmptyKeysAreDropped) {
  CookieSigner signer({"", kOld});
  EXPECT_TRUE(CookieSigner({kOld}).Verify(signer.Sign("v")).has_value());
}

TEST(SessionCookie, Header) {
  EXPECT_EQ(SessionCookieHeader("abc.sig", /*secure=*/false, std::chrono::hours(24)),
            "otelstack.sid=abc.sig; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax");
  EXPECT_EQ(SessionCookieHeader("abc.sig", /*secure=*/true, std::chrono::seconds(60)),
            "otelstack.sid=abc.sig; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
  EXPECT_EQ(ClearSessionCookieHeader(true), "otelstack.sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
  EXPECT_EQ(ClearSessionCookieHeader(false), "otelstack.sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

TEST(Csrf, TokenIsBoundToSessionAndKey) {
  CookieSigner signer({kOld});
  std::string token = CsrfToken(signer, "digest-a");
  EXPECT_FALSE(token.empty());
  EXPECT_EQ(token, CsrfToken(signer, "digest-a"));  // stable, nothing stored
  EXPECT_TRUE(CheckCsrfToken(signer, "digest-a", token));
  EXPECT_FALSE(CheckCsrfToken(signer, "digest-b", token));
  EXPECT_FALSE(CheckCsrfToken(signer, "digest-a", ""));
  EXPECT_FALSE(CheckCsrfToken(signer, "digest-a", token.substr(1)));
  EXPECT_FALSE(CheckCsrfToken(CookieSigner({kNew}), "digest-a", token));
}

TEST(Csrf, ValidUnderAnyRotationKey) {
  std::string old_token = CsrfToken(CookieSigner({kOld}), "digest-a");
  CookieSigner rotated({kNew, kOld});
  EXPECT_TRUE(CheckCsrfToken(rotated, "digest-a", old_token));
  EXPECT_NE(CsrfToken(rotated, "digest-a"), old_token);
}

TEST(Csrf, TokenIsNotACookieSignature) {
  CookieSigner signer({kOld});
  // A CSRF token must not double as the signature of the session value.
  EXPECT_FALSE(signer.Verify("digest-a." + CsrfToken(signer, "digest-a")).has_value());
}

}  // namespace
}  // namespace otelstack::auth

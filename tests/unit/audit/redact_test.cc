#include "audit/redact.h"

#include <gtest/gtest.h>

#include <string>

namespace otelstack::audit {
namespace {

const std::string kIngestionKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const std::string kPersonalKey = "osk_" + kIngestionKey;

TEST(RedactSecretsTest, LeavesOrdinaryTextAlone) {
  for (const std::string text : {"", "level:error AND service:api", "trace_id:0af7651916cd43dd8448eb211c80319c",
                                 "SELECT count() FROM logs WHERE Body LIKE '%osk_%'", "bearer", "Bearer ", "osk_short",
                                 "héllo wörld \xff\xfe"}) {
    EXPECT_EQ(RedactSecrets(text), text);
  }
}

TEST(RedactSecretsTest, IngestionKeyAnywhere) {
  EXPECT_EQ(RedactSecrets(kIngestionKey), "[REDACTED]");
  EXPECT_EQ(RedactSecrets("key=" + kIngestionKey + "&x=1"), "key=[REDACTED]&x=1");
  EXPECT_EQ(RedactSecrets("\"" + kIngestionKey + "\""), "\"[REDACTED]\"");
  std::string upper = kIngestionKey;
  for (char& c : upper) c = static_cast<char>(toupper(c));
  EXPECT_EQ(RedactSecrets(upper), "[REDACTED]");
}

TEST(RedactSecretsTest, LongerHexRunIsRedactedWhole) {
  EXPECT_EQ(RedactSecrets(kIngestionKey + "ff"), "[REDACTED]");
  EXPECT_EQ(RedactSecrets("zz" + kIngestionKey + "zz"), "zz[REDACTED]zz");
}

TEST(RedactSecretsTest, ShortHexRunsAreKept) {
  std::string hex63 = kIngestionKey.substr(1);
  EXPECT_EQ(RedactSecrets(hex63), hex63);
  EXPECT_EQ(RedactSecrets(hex63 + "-" + hex63), hex63 + "-" + hex63);
}

TEST(RedactSecretsTest, PersonalKeyWithPrefix) {
  EXPECT_EQ(RedactSecrets(kPersonalKey), "[REDACTED]");
  EXPECT_EQ(RedactSecrets("my key is " + kPersonalKey + "."), "my key is [REDACTED].");
  EXPECT_EQ(RedactSecrets("osk_abcdefghijklmnop"), "[REDACTED]") << "truncated or non-hex personal key";
  EXPECT_EQ(RedactSecrets("osk_abcdefghijklmno"), "osk_abcdefghijklmno") << "15 characters are not a key";
}

TEST(RedactSecretsTest, BearerToken) {
  EXPECT_EQ(RedactSecrets("Authorization: Bearer abc.def-ghi_jkl=="), "Authorization: Bearer [REDACTED]");
  EXPECT_EQ(RedactSecrets("bearer\t\tsecret123 more"), "bearer\t\t[REDACTED] more");
  EXPECT_EQ(RedactSecrets("BEARER " + kPersonalKey), "BEARER [REDACTED]");
  EXPECT_EQ(RedactSecrets("xBearer token"), "xBearer token") << "only at a word start";
  EXPECT_EQ(RedactSecrets("Bearer \"quoted\""), "Bearer \"quoted\"") << "no token68 character after the space";
}

TEST(RedactSecretsTest, SeveralSecretsInOneText) {
  std::string text = "a " + kIngestionKey + " b " + kPersonalKey + " c Bearer tok d";
  EXPECT_EQ(RedactSecrets(text), "a [REDACTED] b [REDACTED] c Bearer [REDACTED] d");
}

}  // namespace
}  // namespace otelstack::audit

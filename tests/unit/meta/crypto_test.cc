#include "meta/crypto.h"

#include <gtest/gtest.h>

#include "common/file_util.h"

namespace otelstack::meta {
namespace {

std::string TestKey(char fill = 'k') { return std::string(kAesKeySize, fill); }

TEST(Sha256Test, KnownVector) {
  EXPECT_EQ(HexEncode(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(AesGcmTest, RoundTrip) {
  auto sealed = SealAesGcm(TestKey(), "the plaintext", "row 1");
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(sealed->size(), kGcmNonceSize + 13 + kGcmTagSize);
  EXPECT_EQ(sealed->find("the plaintext"), std::string::npos);
  auto opened = OpenAesGcm(TestKey(), *sealed, "row 1");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "the plaintext");
}

TEST(AesGcmTest, EmptyPlaintextRoundTrips) {
  auto sealed = SealAesGcm(TestKey(), "", "");
  ASSERT_TRUE(sealed.ok());
  auto opened = OpenAesGcm(TestKey(), *sealed, "");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "");
}

TEST(AesGcmTest, NonceIsFreshEachTime) {
  auto a = SealAesGcm(TestKey(), "same", "ad");
  auto b = SealAesGcm(TestKey(), "same", "ad");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->substr(0, kGcmNonceSize), b->substr(0, kGcmNonceSize));
  EXPECT_NE(*a, *b);
}

TEST(AesGcmTest, AnyFlippedBitIsDetected) {
  auto sealed = SealAesGcm(TestKey(), "attack at dawn", "ad");
  ASSERT_TRUE(sealed.ok());
  // Every byte: nonce, ciphertext and tag.
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::string tampered = *sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    auto opened = OpenAesGcm(TestKey(), tampered, "ad");
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.status().code(), Status::Code::kCorruption);
  }
}

TEST(AesGcmTest, WrongKeyOrAssociatedDataIsDetected) {
  auto sealed = SealAesGcm(TestKey(), "secret", "row 1");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(OpenAesGcm(TestKey('x'), *sealed, "row 1").status().code(), Status::Code::kCorruption);
  EXPECT_EQ(OpenAesGcm(TestKey(), *sealed, "row 2").status().code(), Status::Code::kCorruption);
  EXPECT_EQ(OpenAesGcm(TestKey(), sealed->substr(0, sealed->size() - 1), "row 1").status().code(),
            Status::Code::kCorruption);
}

TEST(AesGcmTest, ShortInputAndBadKeySize) {
  EXPECT_EQ(OpenAesGcm(TestKey(), std::string(kGcmNonceSize + kGcmTagSize - 1, 'a'), "").status().code(),
            Status::Code::kCorruption);
  EXPECT_EQ(SealAesGcm("short", "x", "").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(OpenAesGcm("short", std::string(40, 'a'), "").status().code(), Status::Code::kInvalidArgument);
}

TEST(ConstantTimeEqualsTest, ComparesContentsAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace otelstack::meta

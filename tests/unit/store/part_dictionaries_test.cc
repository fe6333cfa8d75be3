#include "store/part_dictionaries.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "common/varint.h"
#include "store/column_codec.h"

namespace otelstack {
namespace {

// Text whose pieces recur: what a dictionary is made of.
std::string Templates(int variant) {
  std::string out;
  for (int i = 0; i < 200; ++i) {
    out += "Request completed method=GET path=/api/v" + std::to_string(variant) + "/orders/" + std::to_string(i % 17) +
           " status=200\n";
  }
  return out;
}

// Distinct random words: text that zstd alone cannot shrink much.
std::string RandomWords(size_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    for (int k = 0; k < 11; ++k) out.push_back(static_cast<char>('a' + rng() % 26));
    out.push_back(' ');
  }
  return out;
}

TEST(ZstdDictionaryTest, FramesReferToTheDictionaryAndNeedIt) {
  const ZstdDictionary dictionary(std::string(1, '\0') + RandomWords(400, 1));
  EXPECT_EQ(dictionary.id(), ZstdDictionary::IdOf(dictionary.content()));
  const std::string raw = RandomWords(300, 1);  // words the dictionary holds
  std::string frame, back;
  ASSERT_TRUE(ZstdCompress(raw, 3, &dictionary, &frame).ok());
  // The content is in the dictionary: far smaller than zstd alone makes it.
  std::string alone;
  part_format::BlockCompression compression;
  ASSERT_TRUE(CompressBlock(raw, 3, &alone, &compression).ok());
  EXPECT_LT(frame.size() * 4, alone.size());
  ASSERT_TRUE(ZstdDecompress(frame, raw.size(), &dictionary, &back).ok());
  EXPECT_EQ(back, raw);
  // Another dictionary, or none, does not give the content back.
  const ZstdDictionary other(std::string(1, '\0') + RandomWords(400, 2));
  Status s = ZstdDecompress(frame, raw.size(), &other, &back);
  EXPECT_TRUE(!s.ok() || back != raw);
  std::string_view unused;
  EXPECT_FALSE(DecompressBlock(part_format::BlockCompression::kZstd, frame, raw.size(), &back, &unused).ok() &&
               back == raw);
  // A size that disagrees with the frame is refused.
  EXPECT_EQ(ZstdDecompress(frame, raw.size() + 1, &dictionary, &back).code(), Status::Code::kCorruption);
}

TEST(PartDictionariesTest, SectionRoundTripsTheUsedDictionaries) {
  PartDictionaryWriter writer(3);
  writer.Make(0, Templates(1));
  writer.Make(1, "too small");  // below kMinContentBytes: no dictionary
  writer.Make(2, Templates(2));
  EXPECT_NE(writer.Of(0), nullptr);
  EXPECT_EQ(writer.Of(1), nullptr);
  ASSERT_NE(writer.Of(2), nullptr);
  EXPECT_FALSE(writer.any_used());
  writer.Use(2);  // column 0's is made but no block refers to it
  ASSERT_TRUE(writer.any_used());
  part_format::Section section;
  ASSERT_TRUE(writer.Section(3, &section).ok());
  EXPECT_EQ(section.kind, part_format::kDictionarySection);

  PartDictionaryReader reader;
  ASSERT_TRUE(reader.Parse(section.bytes).ok());
  std::shared_ptr<const ZstdDictionary> got;
  ASSERT_TRUE(reader.Get(writer.Of(2)->id(), &got).ok());
  EXPECT_EQ(got->content(), writer.Of(2)->content());
  EXPECT_EQ(reader.Get(writer.Of(0)->id(), &got).code(), Status::Code::kCorruption);  // not stored
}

TEST(PartDictionariesTest, DamagedOrMalformedSectionsAreCorrupt) {
  PartDictionaryWriter writer(1);
  writer.Make(0, Templates(1));
  writer.Use(0);
  part_format::Section section;
  ASSERT_TRUE(writer.Section(3, &section).ok());
  const uint64_t id = writer.Of(0)->id();
  // A flipped byte in the stored dictionary: found, but refused when loaded.
  std::string damaged = section.bytes;
  damaged[damaged.size() - 5] ^= 0x40;
  PartDictionaryReader reader;
  ASSERT_TRUE(reader.Parse(damaged).ok());
  std::shared_ptr<const ZstdDictionary> got;
  EXPECT_EQ(reader.Get(id, &got).code(), Status::Code::kCorruption);
  // Every truncation fails to parse; none crashes.
  for (size_t n = 0; n < section.bytes.size(); ++n) {
    PartDictionaryReader truncated;
    EXPECT_FALSE(truncated.Parse(std::string_view(section.bytes).substr(0, n)).ok()) << n;
  }
  // Random damage: any status, no crash or sanitizer report.
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 500; ++trial) {
    std::string bytes = section.bytes;
    bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255);
    PartDictionaryReader any;
    if (any.Parse(bytes).ok()) (void)any.Get(id, &got);
  }
}

TEST(PartDictionariesTest, SplitDictionaryIdNeedsEightBytes) {
  std::string block;
  PutFixed64(&block, 0x0123456789abcdefULL);
  block += "rest";
  uint64_t id;
  std::string_view rest;
  ASSERT_TRUE(SplitDictionaryId(block, &id, &rest).ok());
  EXPECT_EQ(id, 0x0123456789abcdefULL);
  EXPECT_EQ(rest, "rest");
  EXPECT_EQ(SplitDictionaryId("short", &id, &rest).code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace otelstack

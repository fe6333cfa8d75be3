// The indexing side of free-text search: the fused tokenizer agrees with
// ForEachToken + TokenHash, the filter builder holds every token added
// (duplicates, a zero hash, the next granule after a reset), and the Bloom
// filters of earlier parts are still read.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "store/skip_index/token_bloom.h"
#include "store/skip_index/token_filter.h"
#include "store/skip_index/tokenizer.h"

namespace otelstack {
namespace {

std::vector<uint64_t> HashesTheSlowWay(std::string_view text) {
  std::vector<uint64_t> out;
  tokens::ForEachToken(text, [&](std::string_view t) { out.push_back(tokens::TokenHash(t)); });
  return out;
}

std::vector<uint64_t> HashesFused(std::string_view text) {
  std::vector<uint64_t> out;
  tokens::ForEachTokenHash(text, [&](uint64_t h, bool) { out.push_back(h); });
  return out;
}

std::vector<tokens::TokenKey> KeysTheSlowWay(std::string_view text) {
  std::vector<tokens::TokenKey> out;
  tokens::ForEachToken(text, [&](std::string_view t) { out.push_back(tokens::KeyOf(t)); });
  return out;
}

std::vector<tokens::TokenKey> KeysFused(std::string_view text) {
  std::vector<tokens::TokenKey> out;
  tokens::ForEachTokenHash(text, [&](uint64_t h, bool long_number) { out.push_back({h, long_number}); });
  return out;
}

TEST(TokenIndexTest, LongNumbersAreTokensOfTenDigitsOrMore) {
  EXPECT_TRUE(tokens::IsLongNumber("1234567890"));
  EXPECT_TRUE(tokens::IsLongNumber("234567891234567"));
  EXPECT_FALSE(tokens::IsLongNumber("123456789"));     // nine digits
  EXPECT_FALSE(tokens::IsLongNumber("12345678901a"));  // not only digits
  EXPECT_FALSE(tokens::IsLongNumber("abcdef0123456789"));
  const std::string digits_300(300, '7');  // beyond the fused path's buffer
  for (const std::string& text :
       {std::string("duration 18.234567891234567 ms"), std::string("order 12345678 epoch 1795305600123"),
        std::string("0.0000000001 x9999999999 9999999999x 123456789 1234567890"),
        digits_300 + " " + digits_300 + "a"}) {
    EXPECT_EQ(KeysFused(text), KeysTheSlowWay(text)) << text;
  }
  const std::vector<tokens::TokenKey> keys = KeysFused("18.234567891234567");
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_FALSE(keys[0].long_number);
  EXPECT_TRUE(keys[1].long_number);
}

TEST(TokenIndexTest, FusedTokenHashesEqualTokenizeThenHash) {
  std::string long_token(300, 'Q');  // longer than the fused path's buffer
  const std::vector<std::string> texts = {
      "",
      "   ",
      "GET /api/v1/orders?id=42",
      "ERROR: Connection REFUSED by 10.0.0.7:5432",
      "naïve café — Grüße",  // bytes >= 0x80 stay inside tokens
      "trailing-token",
      "x",
      long_token + " tail " + long_token,
      std::string("nul\0inside", 10),
  };
  for (const std::string& text : texts) {
    EXPECT_EQ(HashesFused(text), HashesTheSlowWay(text)) << text;
  }
  EXPECT_EQ(HashesFused("Hello WORLD"), HashesFused("hello world"));  // case-folded
  EXPECT_EQ(HashesFused("a-b").size(), 2u);
}

TEST(TokenIndexTest, FilterHoldsEveryAddedHashAcrossGranules) {
  TokenFilterBuilder builder(kTokenFilterResultBits);
  std::vector<uint64_t> first;
  for (uint64_t i = 0; i < 5000; ++i) first.push_back(i * 0x9E3779B97F4A7C15ull);  // includes 0
  for (int pass = 0; pass < 3; ++pass) {
    for (uint64_t h : first) builder.Add(h);  // each hash many times
  }
  std::string filter;
  builder.FinishTo(&filter);
  for (uint64_t h : first) EXPECT_TRUE(FilterMayContain(FilterFormat::kRibbon, filter, {h, false})) << h;
  // Sized for the distinct hashes, not for every Add: 5000 distinct hashes
  // at about 1.08 x 5 bits each.
  static_assert(kTokenFilterResultBits == 5);
  EXPECT_GT(filter.size() * 8, 5000u * 5);
  EXPECT_LT(filter.size() * 8, 5000u * 6);

  // The next granule starts empty: hashes of the first are not carried
  // over, and those added again are found.
  builder.Add(first[1]);
  builder.Add(12345);
  std::string second;
  builder.FinishTo(&second);
  EXPECT_TRUE(FilterMayContain(FilterFormat::kRibbon, second, {first[1], false}));
  EXPECT_TRUE(FilterMayContain(FilterFormat::kRibbon, second, {12345, false}));
  EXPECT_EQ(second.size(), 6u + 5 * 8);  // the minimum: a header and one block of 64 slots
  int carried = 0;
  for (uint64_t h : first) carried += FilterMayContain(FilterFormat::kRibbon, second, {h, false}) ? 1 : 0;
  EXPECT_LT(carried, 300) << "the second filter should not hold the first granule's tokens (3.1% expected)";

  // A granule without tokens: a filter that holds nothing.
  std::string none;
  builder.FinishTo(&none);
  EXPECT_FALSE(none.empty());
  EXPECT_FALSE(FilterMayContain(FilterFormat::kRibbon, none, {first[1], false}));
}

// The trace-id filter spends more bits per id for fewer false positives;
// readers query both the same way.
TEST(TokenIndexTest, ResultBitsSetSizeAndFalsePositives) {
  std::mt19937_64 rng(3);
  std::vector<uint64_t> added(2000);
  for (uint64_t& h : added) h = rng();
  auto false_positives = [&](uint32_t result_bits, size_t* filter_bits) {
    TokenFilterBuilder builder(result_bits);
    for (uint64_t h : added) builder.Add(h);
    std::string filter;
    builder.FinishTo(&filter);
    *filter_bits = filter.size() * 8;
    for (uint64_t h : added) EXPECT_TRUE(FilterMayContain(FilterFormat::kRibbon, filter, {h, false}));
    int hits = 0;
    for (int i = 0; i < 200000; ++i) hits += FilterMayContain(FilterFormat::kRibbon, filter, {rng(), false}) ? 1 : 0;
    return hits;
  };
  size_t token_bits = 0, trace_bits = 0;
  const int token_fp = false_positives(kTokenFilterResultBits, &token_bits);
  const int trace_fp = false_positives(kTraceIdFilterResultBits, &trace_bits);
  EXPECT_LT(token_bits, 2000u * 6);  // about 1.08 x 5 bits per hash
  EXPECT_LT(trace_bits, 2000u * 15);
  EXPECT_LT(token_fp, 200000 * 37 / 1000) << "about 3.1% expected";
  EXPECT_GT(token_fp, 200000 * 25 / 1000) << "about 3.1% expected";
  EXPECT_LT(trace_fp, 200000 / 2000) << "about 0.012% expected";
  EXPECT_LT(trace_fp * 10, token_fp);
}

// The Bloom filters of parts written before ribbon filters, built here by
// the rule token_bloom.h documents (8 bits per hash in whole words, probes
// reduced modulo the size): readers find every hash added.
TEST(TokenIndexTest, BloomFiltersOfEarlierPartsStillMatch) {
  std::vector<uint64_t> added;
  for (uint64_t i = 1; i <= 1000; ++i) added.push_back(i * 0xD6E8FEB86659FD93ull);
  const uint64_t bits = (added.size() * 8 + 63) / 64 * 64;
  std::vector<uint64_t> words(bits / 64, 0);
  for (uint64_t h : added) {
    uint32_t h1 = static_cast<uint32_t>(h), h2 = static_cast<uint32_t>(h >> 32) | 1;
    for (uint32_t i = 0; i < kTokenBloomProbes; ++i) {
      uint64_t bit = static_cast<uint32_t>(h1 + i * h2) % bits;
      words[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }
  std::string encoded(words.size() * 8, '\0');
  for (size_t i = 0; i < words.size(); ++i) {
    for (int b = 0; b < 8; ++b) encoded[i * 8 + b] = static_cast<char>(words[i] >> (8 * b));
  }
  for (uint64_t h : added) EXPECT_TRUE(FilterMayContain(FilterFormat::kBloom, encoded, {h, false})) << h;
  int false_positives = 0;
  for (uint64_t i = 1; i <= 10000; ++i) {
    false_positives += FilterMayContain(FilterFormat::kBloom, encoded, {i * 0x9E3779B97F4A7C15ull + 1, false}) ? 1 : 0;
  }
  EXPECT_LT(false_positives, 400);  // ~2.3% expected
  EXPECT_TRUE(FilterMayContain(FilterFormat::kBloom, "", {42, false})) << "an empty filter is no filter";
}

// Parts written before filters were sized to whole words hold power-of-two
// filters whose probes were masked, not reduced modulo the size: readers
// must find every token in them as before.
TEST(TokenIndexTest, PowerOfTwoFiltersOfEarlierPartsStillMatch) {
  const uint64_t bits = 1 << 12;
  std::vector<uint64_t> words(bits / 64, 0);
  std::vector<uint64_t> added;
  for (uint64_t i = 1; i <= 300; ++i) added.push_back(i * 0xD6E8FEB86659FD93ull);
  for (uint64_t h : added) {
    uint32_t h1 = static_cast<uint32_t>(h), h2 = static_cast<uint32_t>(h >> 32) | 1;
    for (uint32_t i = 0; i < kTokenBloomProbes; ++i) {
      uint64_t bit = (h1 + uint64_t{i} * h2) & (bits - 1);  // the earlier rule
      words[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }
  std::string encoded(words.size() * 8, '\0');
  for (size_t i = 0; i < words.size(); ++i) {
    for (int b = 0; b < 8; ++b) encoded[i * 8 + b] = static_cast<char>(words[i] >> (8 * b));
  }
  TokenBloomView view(encoded);
  for (uint64_t h : added) EXPECT_TRUE(view.MayContain(h)) << h;
  int false_positives = 0;
  for (uint64_t i = 1; i <= 10000; ++i) false_positives += view.MayContain(i * 0x9E3779B97F4A7C15ull + 1) ? 1 : 0;
  EXPECT_LT(false_positives, 500);  // ~1% expected at 13.6 bits per token
}

}  // namespace
}  // namespace otelstack

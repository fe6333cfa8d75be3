#include "store/rans_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace otelstack {
namespace {

std::vector<uint32_t> CountsOf(const std::vector<uint16_t>& symbols, uint32_t alphabet) {
  std::vector<uint32_t> counts(alphabet);
  for (uint16_t s : symbols) ++counts[s];
  return counts;
}

double EntropyBytes(const std::vector<uint32_t>& counts, size_t n) {
  double bits = 0;
  for (uint32_t c : counts) {
    if (c != 0) bits -= c * std::log2(static_cast<double>(c) / n);
  }
  return bits / 8;
}

// Encodes, checks the size promised, and decodes.
std::vector<uint16_t> RoundTrip(const std::vector<uint16_t>& symbols, uint32_t alphabet, std::string* stream) {
  const std::vector<uint32_t> counts = CountsOf(symbols, alphabet);
  RansModel model(counts);
  uint32_t total = 0;
  for (size_t s = 0; s < counts.size(); ++s) {
    EXPECT_EQ(model.frequencies()[s] == 0, counts[s] == 0) << "symbol " << s;
    total += model.frequencies()[s];
  }
  EXPECT_EQ(total, 1u << model.scale_bits());
  stream->clear();
  RansEncode(model, symbols, stream);
  const size_t promised = model.EncodedSize(counts);
  EXPECT_LE(stream->size(), promised + 2);
  EXPECT_GE(stream->size() + 2, promised);
  std::vector<uint16_t> decoded;
  Status s = RansDecode(*stream, symbols.size(), alphabet, &decoded);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return decoded;
}

TEST(RansCodecTest, SkewedSymbolsRoundTripNearTheirEntropy) {
  std::mt19937_64 rng(11);
  // HTTP methods: GET 15/27, POST 9/27, three rare ones.
  std::discrete_distribution<int> methods({15, 9, 1, 1, 1});
  std::vector<uint16_t> symbols(8192);
  for (uint16_t& s : symbols) s = static_cast<uint16_t>(methods(rng));
  std::string stream;
  EXPECT_EQ(RoundTrip(symbols, 5, &stream), symbols);
  const double entropy = EntropyBytes(CountsOf(symbols, 5), symbols.size());
  EXPECT_LT(stream.size(), entropy * 1.01 + 16) << "entropy " << entropy;
}

TEST(RansCodecTest, EveryAlphabetShapeRoundTrips) {
  std::mt19937_64 rng(5);
  for (uint32_t alphabet : {1u, 2u, 3u, 27u, 256u, 1024u, 1025u, kRansMaxAlphabet}) {
    for (size_t n : {size_t{1}, size_t{2}, size_t{100}, size_t{8192}, size_t{70000}}) {
      std::vector<uint16_t> symbols(n);
      // Zipf-like: a few symbols take most of the stream, many occur once.
      for (uint16_t& s : symbols) {
        const double u = std::uniform_real_distribution<double>(0, 1)(rng);
        s = static_cast<uint16_t>(std::min<double>(alphabet - 1, std::floor(std::pow(alphabet, u * u)) - 1));
      }
      symbols.back() = static_cast<uint16_t>(alphabet - 1);  // the largest symbol, at least once
      std::string stream;
      EXPECT_EQ(RoundTrip(symbols, alphabet, &stream), symbols) << "alphabet " << alphabet << ", n " << n;
    }
  }
}

TEST(RansCodecTest, OneSymbolCostsOnlyTheTableAndState) {
  std::vector<uint16_t> symbols(8192, 2);
  std::string stream;
  EXPECT_EQ(RoundTrip(symbols, 3, &stream), symbols);
  EXPECT_LE(stream.size(), 1u + 4u + 8u);  // scale, frequencies 0, 0 and 4096 (two bytes), two states
}

TEST(RansCodecTest, DamageIsCorruptionNotGarbage) {
  std::mt19937_64 rng(3);
  std::vector<uint16_t> symbols(4000);
  for (uint16_t& s : symbols) s = static_cast<uint16_t>(rng() % 7 == 0 ? rng() % 20 : rng() % 3);
  symbols.back() = 19;
  std::string stream;
  ASSERT_EQ(RoundTrip(symbols, 20, &stream), symbols);
  std::vector<uint16_t> out;
  // Truncated, extended, or a count that does not match.
  EXPECT_FALSE(RansDecode(std::string_view(stream).substr(0, stream.size() - 1), symbols.size(), 20, &out).ok());
  EXPECT_FALSE(RansDecode(stream + "x", symbols.size(), 20, &out).ok());
  EXPECT_FALSE(RansDecode(stream, symbols.size() + 1, 20, &out).ok());
  EXPECT_FALSE(RansDecode(stream, symbols.size(), 21, &out).ok());
  EXPECT_FALSE(RansDecode("", 0, 20, &out).ok());
  // Every single-byte change is either caught or decodes to other symbols of
  // the alphabet; none reads out of bounds (ASan) or returns symbols beyond it.
  size_t caught = 0;
  for (size_t i = 0; i < stream.size(); ++i) {
    std::string damaged = stream;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
    Status s = RansDecode(damaged, symbols.size(), 20, &out);
    if (!s.ok()) {
      ++caught;
      continue;
    }
    for (uint16_t v : out) ASSERT_LT(v, 20);
  }
  // The state check catches nearly every change to the coded bytes.
  EXPECT_GT(caught, stream.size() * 9 / 10);
}

}  // namespace
}  // namespace otelstack

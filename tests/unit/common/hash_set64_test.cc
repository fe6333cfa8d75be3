// HashSet64: exact deduplication, including the value 0 (the set's own
// free-slot marker), across growth and Clear().
#include "common/hash_set64.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace otelstack {
namespace {

TEST(HashSet64Test, KeepsEachValueOnce) {
  HashSet64 set;
  std::set<uint64_t> expected;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    uint64_t v = rng() % 5000;  // many repeats, and 0 among them
    EXPECT_EQ(set.Insert(v), expected.insert(v).second) << v;
  }
  EXPECT_EQ(set.size(), expected.size());
  std::set<uint64_t> seen;
  set.ForEach([&](uint64_t v) { EXPECT_TRUE(seen.insert(v).second) << "visited twice: " << v; });
  EXPECT_EQ(seen, expected);
  EXPECT_TRUE(expected.count(0));
}

TEST(HashSet64Test, ClearForgetsEverythingAndTheSetIsReusable) {
  HashSet64 set;
  for (uint64_t v = 0; v < 1000; ++v) set.Insert(v * 0x9E3779B97F4A7C15ull);
  set.Clear();
  EXPECT_EQ(set.size(), 0u);
  int visited = 0;
  set.ForEach([&](uint64_t) { ++visited; });
  EXPECT_EQ(visited, 0);
  EXPECT_TRUE(set.Insert(0));
  EXPECT_TRUE(set.Insert(42));
  EXPECT_FALSE(set.Insert(42));
  EXPECT_EQ(set.size(), 2u);
}

}  // namespace
}  // namespace otelstack

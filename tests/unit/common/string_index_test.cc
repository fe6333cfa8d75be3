#include "common/string_index.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace otelstack {
namespace {

TEST(StringIndexTest, NumbersDistinctStringsInInsertionOrder) {
  StringIndex index;
  EXPECT_EQ(index.Find("a"), StringIndex::kAbsent);
  EXPECT_EQ(index.Insert("b"), std::make_pair(0u, true));
  EXPECT_EQ(index.Insert("a"), std::make_pair(1u, true));
  EXPECT_EQ(index.Insert("b"), std::make_pair(0u, false));
  EXPECT_EQ(index.Insert(""), std::make_pair(2u, true));
  EXPECT_EQ(index.Insert(""), std::make_pair(2u, false));
  EXPECT_EQ(index.Find("a"), 1u);
  EXPECT_EQ(index.Find("c"), StringIndex::kAbsent);
  EXPECT_EQ(index.keys(), (std::vector<std::string_view>{"b", "a", ""}));
  index.Clear();
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(index.Find("a"), StringIndex::kAbsent);
  EXPECT_EQ(index.Insert("a"), std::make_pair(0u, true));
}

// Against std::map over many inserts (the table grows several times),
// including strings that differ in one byte and share prefixes.
TEST(StringIndexTest, AgreesWithAMapWhileGrowing) {
  std::vector<std::string> pool;
  for (int i = 0; i < 3000; ++i) pool.push_back("value-" + std::to_string(i % 1500) + std::string(i % 3, 'x'));
  std::mt19937 rng(3);
  StringIndex index;
  std::map<std::string, uint32_t> expected;
  for (int step = 0; step < 20000; ++step) {
    const std::string& s = pool[rng() % pool.size()];
    auto [it, added] = expected.try_emplace(s, static_cast<uint32_t>(expected.size()));
    ASSERT_EQ(index.Insert(s), std::make_pair(it->second, added)) << s;
  }
  ASSERT_EQ(index.size(), expected.size());
  for (const auto& [s, id] : expected) {
    EXPECT_EQ(index.Find(s), id);
    EXPECT_EQ(index.keys()[id], s);
  }
}

}  // namespace
}  // namespace otelstack

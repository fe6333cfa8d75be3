#include "store/schema/schema.h"

#include <gtest/gtest.h>

#include <string>

namespace otelstack {
namespace {

// The part reader decodes a referenced column before the column that refers
// to it, one level only: a reference column must be a bytes column that
// refers to nothing itself.
TEST(SchemaTest, ReferenceColumnsAreBytesColumnsThatReferToNothing) {
  for (Signal s : kAllSignals) {
    const auto schema = SchemaOf(s);
    auto refers_to_nothing = [&](size_t col) {
      return DeterminingColumns(s, col).empty() && RowReferenceColumn(s, col) < 0;
    };
    for (size_t c = 0; c < schema.size(); ++c) {
      SCOPED_TRACE(std::string(SignalName(s)) + "." + std::string(schema[c].name));
      for (size_t ref : DeterminingColumns(s, c)) {
        ASSERT_LT(ref, schema.size());
        EXPECT_NE(ref, c);
        EXPECT_FALSE(IsFixed(schema[ref].type)) << schema[ref].name;
        EXPECT_TRUE(refers_to_nothing(ref)) << schema[ref].name;
      }
      const int row_ref = RowReferenceColumn(s, c);
      if (row_ref < 0) continue;
      ASSERT_LT(static_cast<size_t>(row_ref), schema.size());
      EXPECT_NE(static_cast<size_t>(row_ref), c);
      EXPECT_FALSE(IsFixed(schema[c].type));
      EXPECT_FALSE(IsFixed(schema[row_ref].type));
      EXPECT_TRUE(refers_to_nothing(row_ref)) << schema[row_ref].name;
      EXPECT_TRUE(DeterminingColumns(s, c).empty()) << "one way of referring per column";
    }
  }
}

}  // namespace
}  // namespace otelstack

#include "store/schema/schema.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace otelstack {
namespace {

// The columns column `col` may be stored as a reference to, in any of the
// ways the schema names.
std::vector<size_t> ReferenceColumnsOf(Signal s, size_t col) {
  std::vector<size_t> refs(DeterminingColumns(s, col).begin(), DeterminingColumns(s, col).end());
  if (RowReferenceColumn(s, col) >= 0) refs.push_back(static_cast<size_t>(RowReferenceColumn(s, col)));
  if (RecentValueClassColumn(s, col) >= 0) refs.push_back(static_cast<size_t>(RecentValueClassColumn(s, col)));
  return refs;
}

// The part reader decodes a referenced column before the column that refers
// to it, and accepts a chain of references only towards earlier columns (so
// there is no cycle): a reference column must be another bytes column that
// refers to nothing itself, or comes before the column referring to it.
TEST(SchemaTest, ReferenceColumnsAreBytesColumnsWithoutCycles) {
  for (Signal s : kAllSignals) {
    const auto schema = SchemaOf(s);
    for (size_t c = 0; c < schema.size(); ++c) {
      SCOPED_TRACE(std::string(SignalName(s)) + "." + std::string(schema[c].name));
      const int ways =
          !DeterminingColumns(s, c).empty() + (RowReferenceColumn(s, c) >= 0) + (RecentValueClassColumn(s, c) >= 0);
      EXPECT_LE(ways, 1) << "one way of referring per column";
      for (size_t ref : ReferenceColumnsOf(s, c)) {
        ASSERT_LT(ref, schema.size());
        EXPECT_NE(ref, c);
        EXPECT_FALSE(IsFixed(schema[ref].type)) << schema[ref].name;
        EXPECT_TRUE(ReferenceColumnsOf(s, ref).empty() || ref < c) << schema[ref].name;
      }
      if (RowReferenceColumn(s, c) >= 0 || RecentValueClassColumn(s, c) >= 0) {
        EXPECT_FALSE(IsFixed(schema[c].type));
      }
    }
  }
}

}  // namespace
}  // namespace otelstack

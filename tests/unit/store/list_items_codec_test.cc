#include "store/list_items_codec.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <random>
#include <string>
#include <vector>

#include "bytes_column.h"
#include "common/any_value.h"
#include "store/column_codec.h"

namespace otelstack {
namespace {

namespace av = anyvalue;

// One span event as the decoders store it: a kvlist of time, name and
// attributes.
std::string Event(uint64_t time, std::string_view name, std::string_view type, int64_t attempt) {
  std::string e;
  size_t h = av::BeginKvList(&e);
  av::AppendKey(&e, "time_unix_nano");
  av::AppendInt(&e, static_cast<int64_t>(time));
  av::AppendStringEntry(&e, "name", name);
  av::AppendKey(&e, "attributes");
  size_t a = av::BeginKvList(&e);
  av::AppendStringEntry(&e, "exception.type", type);
  av::AppendKey(&e, "attempt");
  av::AppendInt(&e, attempt);
  av::EndList(&e, a, 2);
  av::EndList(&e, h, 3);
  return e;
}

std::string ArrayOf(const std::vector<std::string>& items) {
  std::string row;
  size_t h = av::BeginArray(&row);
  for (const std::string& item : items) row.append(item);
  av::EndList(&row, h, static_cast<uint32_t>(items.size()));
  return row;
}

// Spans' Events: most rows empty, some with one or two events whose times
// are distinct, as the time of a span is.
std::vector<std::string> EventRows(size_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const char* names[] = {"exception", "retry", "cache.miss"};
  const char* types[] = {"TimeoutError", "IOError", "KeyError"};
  std::vector<std::string> out;
  uint64_t time = 1795305600000000000ull;
  for (size_t i = 0; i < rows; ++i) {
    time += rng() % 50000000;
    std::vector<std::string> events;
    const size_t n = rng() % 8 == 0 ? 1 + rng() % 2 : 0;
    for (size_t k = 0; k < n; ++k) {
      events.push_back(
          Event(time + rng() % 1000000, names[rng() % 3], types[rng() % 3], static_cast<int64_t>(rng() % 3)));
    }
    out.push_back(ArrayOf(events));
  }
  return out;
}

std::vector<std::string> Decode(ColumnEncoding encoding, std::string_view block, size_t rows) {
  std::vector<uint32_t> ends;
  std::string data;
  Status s = DecodeBytesColumn(encoding, block, rows, &ends, &data);
  EXPECT_TRUE(s.ok()) << s.ToString();
  test::BytesColumn decoded;
  decoded.ends = ends;
  decoded.data = data;
  std::vector<std::string> out;
  for (size_t i = 0; i < ends.size(); ++i) out.emplace_back(decoded.at(i));
  return out;
}

bool Splits(const test::BytesColumn& column) {
  ListItems split;
  return SplitListItems(column.view(), &split);
}

// The list-items block of `rows` (REQUIRES: they split).
std::string ListItemsBlock(const std::vector<std::string>& rows) {
  ListItems split;
  EXPECT_TRUE(SplitListItems(test::BytesColumn(rows).view(), &split));
  std::string block;
  EXPECT_TRUE(EncodeListItemsColumn(split, {}, &block).ok());
  return block;
}

size_t ZstdSize(std::string_view raw) {
  std::string z(ZSTD_compressBound(raw.size()), '\0');
  return ZSTD_compress(z.data(), z.size(), raw.data(), raw.size(), 3);
}

TEST(ListItemsCodecTest, SpanEventsTakeTheirItemsAsAColumnAndRoundTrip) {
  const std::vector<std::string> rows = EventRows(8192, 1);
  const test::BytesColumn column(rows, /*prefix=*/{"not part of the view"});
  ASSERT_TRUE(Splits(column));
  std::string block;
  const ColumnEncoding encoding = EncodeBytesColumn(column.view(), &block);
  ASSERT_EQ(encoding, ColumnEncoding::kBytesListItems);
  EXPECT_EQ(Decode(encoding, block, rows.size()), rows);

  // The rows whole (what was stored before): a block the part writer then
  // compresses. The items' fields compress far better apart.
  BytesEncodeOptions whole;
  whole.try_shredding = false;
  std::string whole_block;
  const ColumnEncoding whole_encoding = EncodeBytesColumn(column.view(), &whole_block, whole);
  ASSERT_NE(whole_encoding, ColumnEncoding::kBytesListItems);
  const size_t whole_stored =
      BlockCompressesItself(whole_encoding, whole_block) ? whole_block.size() : ZstdSize(whole_block);
  const size_t stored = BlockCompressesItself(encoding, block) ? block.size() : ZstdSize(block);
  EXPECT_LT(stored * 10, whole_stored * 7) << stored << " vs " << whole_stored;
}

TEST(ListItemsCodecTest, OnlyArraysOfKvListsRebuiltExactlyQualify) {
  const std::string event = Event(1, "retry", "IOError", 1);
  EXPECT_TRUE(Splits(test::BytesColumn({ArrayOf({}), ArrayOf({event})})));
  // No item at all: nothing to gain (EncodeBytesColumn stores a constant).
  EXPECT_FALSE(Splits(test::BytesColumn({ArrayOf({}), ArrayOf({})})));
  // Items that are not kvlists.
  std::string ints;
  size_t h = av::BeginArray(&ints);
  av::AppendInt(&ints, 5);
  av::EndList(&ints, h, 1);
  EXPECT_FALSE(Splits(test::BytesColumn({ArrayOf({event}), ints})));
  // A row that is not an array, one with trailing bytes, a count that does
  // not match its items, a truncated item.
  EXPECT_FALSE(Splits(test::BytesColumn({ArrayOf({event}), event})));
  EXPECT_FALSE(Splits(test::BytesColumn({ArrayOf({event}), ArrayOf({event}) + "x"})));
  std::string miscounted = ArrayOf({event, event});
  miscounted[1] = 1;
  EXPECT_FALSE(Splits(test::BytesColumn({ArrayOf({event}), miscounted})));
  EXPECT_FALSE(Splits(test::BytesColumn({ArrayOf({event}), ArrayOf({event}).substr(0, ArrayOf({event}).size() - 1)})));

  // Such columns round trip in another encoding.
  const std::vector<std::string> mixed = {ArrayOf({event}), ints, "", ArrayOf({event, event})};
  std::string block;
  const ColumnEncoding encoding = EncodeBytesColumn(test::BytesColumn(mixed).view(), &block);
  EXPECT_NE(encoding, ColumnEncoding::kBytesListItems);
  EXPECT_EQ(Decode(encoding, block, mixed.size()), mixed);
}

TEST(ListItemsCodecTest, CountsBeyondTheRansAlphabetAndEqualItemsRoundTrip) {
  // One row of 5000 equal items (the items' block is a constant), the rest
  // empty: counts take the packed stream.
  const std::string event = Event(7, "retry", "IOError", 2);
  std::vector<std::string> rows(100, ArrayOf({}));
  rows[42] = ArrayOf(std::vector<std::string>(5000, event));
  const std::string block = ListItemsBlock(rows);
  EXPECT_EQ(static_cast<ColumnEncoding>(block[0]), ColumnEncoding::kBytesConstant);
  EXPECT_EQ(Decode(ColumnEncoding::kBytesListItems, block, rows.size()), rows);
}

TEST(ListItemsCodecTest, DamageIsCorruptionNotGarbage) {
  const std::vector<std::string> rows = EventRows(2000, 2);
  const std::string block = ListItemsBlock(rows);
  ASSERT_EQ(Decode(ColumnEncoding::kBytesListItems, block, rows.size()), rows);
  std::vector<uint32_t> ends;
  std::string data;
  for (size_t cut : {size_t{0}, size_t{1}, size_t{2}, block.size() / 3, block.size() - 1}) {
    EXPECT_FALSE(DecodeListItemsColumn(std::string_view(block).substr(0, cut), rows.size(), &ends, &data, nullptr).ok())
        << "cut at " << cut;
  }
  EXPECT_FALSE(DecodeListItemsColumn(block, rows.size() + 1, &ends, &data, nullptr).ok());
  std::string nested = block;
  nested[0] = static_cast<char>(ColumnEncoding::kBytesListItems);
  EXPECT_FALSE(DecodeListItemsColumn(nested, rows.size(), &ends, &data, nullptr).ok());
  std::string bad_mode = block;
  bad_mode[1] = 9;
  EXPECT_FALSE(DecodeListItemsColumn(bad_mode, rows.size(), &ends, &data, nullptr).ok());
  EXPECT_TRUE(ends.empty());
  EXPECT_TRUE(data.empty());
}

}  // namespace
}  // namespace otelstack

// List-items coding of a bytes column whose every row is an array of
// kvlists (span events and links, exemplars): the block format of
// ColumnEncoding::kBytesListItems. The items of all rows become one column
// of their own, which EncodeBytesColumn encodes like any attribute-map
// column: shredded, each field (an event's name, time, each attribute) in a
// stream of its own. Stored whole, a row is a value that rarely recurs (an
// event carries its time), so a dictionary of rows holds each event in full.
// This is the layout of ClickHouse's Nested columns: one column per field
// of the items, plus each row's item count.
//
// A row is stored as tag, u32 LE count, then its items (any_value.h), so it
// is rebuilt exactly from its count and its items' bytes.
//
// Format:
//   items_encoding u8     ColumnEncoding of the items' block
//   counts_mode u8        0: counts as a packed stream (PutPackedStream) of
//                         rows x count varint, compressed when the items'
//                         block compresses itself (else the part writer
//                         compresses the whole block); 1: alphabet varint
//                         (the largest count + 1), rANS stream length
//                         varint, the rANS stream (rans_codec.h) of the
//                         rows' counts
//   items block           the rest: the block of sum(counts) items
// The decoder validates every count and size and returns Corruption (no
// context; callers add file, granule and column) rather than reading out of
// bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/column_codec.h"

namespace otelstack {

// A column of arrays of kvlists taken apart: each row's item count, and the
// items of all rows in order, as a bytes column (data and end offsets).
struct ListItems {
  std::vector<uint32_t> counts;
  std::string items;
  std::vector<uint32_t> item_ends;
  BytesColumnView view() const { return BytesColumnView{item_ends, 0, items.data()}; }
};

// Takes `values` apart into *out and returns true when every row is an
// array of kvlists, encoded exactly as a row is rebuilt (see above), with at
// least one item in all; else returns false (*out unspecified).
bool SplitListItems(const BytesColumnView& values, ListItems* out);

// Encodes the column `split` was taken from into *out (replacing its
// content). The items are encoded by EncodeBytesColumn with `options` (less
// the sinks of the skip index, which expect rows, not items). Fails only
// when zstd does (on allocation).
Status EncodeListItemsColumn(const ListItems& split, const BytesEncodeOptions& options, std::string* out);

// Whether a block of this encoding compresses its own streams (its items'
// block does): the part writer stores it as it is.
bool ListItemsBlockCompressesItself(std::string_view block);

// Decodes a block of `rows` values: appends them to *data and their end
// offsets (continuing from the current data->size()) to *ends. `dictionary`
// as for DecodeBytesColumn.
Status DecodeListItemsColumn(std::string_view block, size_t rows, std::vector<uint32_t>* ends, std::string* data,
                             const ZstdDictionary* dictionary);

}  // namespace otelstack

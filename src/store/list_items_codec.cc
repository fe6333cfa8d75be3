#include "store/list_items_codec.h"

#include <algorithm>
#include <span>

#include "common/any_value.h"
#include "common/varint.h"
#include "store/rans_codec.h"

namespace otelstack {

namespace {

namespace av = anyvalue;

constexpr size_t kListHeadBytes = 5;  // tag, u32 LE count
constexpr uint8_t kCountsPacked = 0;
constexpr uint8_t kCountsRans = 1;

// Calls visit(item_bytes) for each item of an array row; false when the row
// is not an array of kvlists that is rebuilt exactly from its items.
template <typename Visit>
bool ForEachKvListItem(std::string_view row, Visit&& visit) {
  av::Value list;
  if (row.empty() || static_cast<av::Tag>(row[0]) != av::Tag::kArray || !av::ParseListHead(row, &list).ok()) {
    return false;
  }
  av::ListReader items(list);
  std::string_view key;
  av::Value item;
  size_t item_bytes = 0;
  uint32_t seen = 0;
  while (items.Next(&key, &item)) {
    if (item.tag != av::Tag::kKvList) return false;
    item_bytes += items.value_bytes().size();
    visit(items.value_bytes());
    ++seen;
  }
  return items.status().ok() && seen == list.count && kListHeadBytes + item_bytes == row.size();
}

Status Corrupt(std::string_view what) { return Status::Corruption("list-items block: " + std::string(what)); }

Status PutCounts(std::span<const uint32_t> counts, bool compress, const StreamCompression& compression,
                 std::string* out) {
  const uint32_t largest = *std::max_element(counts.begin(), counts.end());
  if (largest < kRansMaxAlphabet) {
    std::vector<uint16_t> symbols(counts.begin(), counts.end());
    std::string coded;
    if (RansEncodeIfIndependent(symbols, largest + 1, &coded)) {
      out->push_back(static_cast<char>(kCountsRans));
      PutVarint64(out, largest + 1);
      PutVarint64(out, coded.size());
      out->append(coded);
      return Status::OK();
    }
  }
  out->push_back(static_cast<char>(kCountsPacked));
  std::string varints;
  for (uint32_t c : counts) PutVarint64(&varints, c);
  return PutPackedStream(varints, compress, compression, out);
}

Status GetCounts(std::string_view* in, size_t rows, const ZstdDictionary* dictionary, std::vector<uint32_t>* counts) {
  if (in->empty()) return Corrupt("truncated counts");
  const uint8_t mode = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  counts->resize(rows);
  if (mode == kCountsRans) {
    uint64_t alphabet, size;
    if (!GetVarint64(in, &alphabet) || alphabet == 0 || alphabet > kRansMaxAlphabet || !GetVarint64(in, &size) ||
        size > in->size()) {
      return Corrupt("truncated counts");
    }
    std::vector<uint16_t> symbols;
    OTELSTACK_RETURN_IF_ERROR(RansDecode(in->substr(0, size), rows, static_cast<uint32_t>(alphabet), &symbols));
    in->remove_prefix(size);
    std::copy(symbols.begin(), symbols.end(), counts->begin());
    return Status::OK();
  }
  if (mode != kCountsPacked) return Corrupt("unknown counts mode");
  std::string scratch;
  std::string_view varints;
  OTELSTACK_RETURN_IF_ERROR(GetPackedStream(in, &scratch, &varints, dictionary));
  for (size_t i = 0; i < rows; ++i) {
    uint64_t c;
    if (!GetVarint64(&varints, &c) || c > UINT32_MAX) return Corrupt("truncated counts");
    (*counts)[i] = static_cast<uint32_t>(c);
  }
  if (!varints.empty()) return Corrupt("trailing counts");
  return Status::OK();
}

}  // namespace

bool SplitListItems(const BytesColumnView& values, ListItems* out) {
  if (values.size() == 0 || values.value(0).empty() || static_cast<av::Tag>(values.value(0)[0]) != av::Tag::kArray) {
    return false;  // the usual answer, without parsing a row
  }
  out->counts.assign(values.size(), 0);
  out->items.clear();
  out->item_ends.clear();
  for (size_t i = 0; i < values.size(); ++i) {
    const bool whole = ForEachKvListItem(values.value(i), [&](std::string_view item) {
      out->items.append(item);
      out->item_ends.push_back(static_cast<uint32_t>(out->items.size()));
      ++out->counts[i];
    });
    if (!whole) return false;
  }
  return !out->item_ends.empty();
}

Status EncodeListItemsColumn(const ListItems& split, const BytesEncodeOptions& options, std::string* out) {
  BytesEncodeOptions item_options = options;
  item_options.map_values = nullptr;
  item_options.text_values = nullptr;
  std::string items_block;
  const ColumnEncoding items_encoding = EncodeBytesColumn(split.view(), &items_block, item_options);
  out->clear();
  out->push_back(static_cast<char>(items_encoding));
  OTELSTACK_RETURN_IF_ERROR(
      PutCounts(split.counts, EncodingCompressesItself(items_encoding), options.compression, out));
  out->append(items_block);
  return Status::OK();
}

bool ListItemsBlockCompressesItself(std::string_view block) {
  return !block.empty() && EncodingCompressesItself(static_cast<ColumnEncoding>(block[0]));
}

Status DecodeListItemsColumn(std::string_view block, size_t rows, std::vector<uint32_t>* ends, std::string* data,
                             const ZstdDictionary* dictionary) {
  if (block.empty()) return Corrupt("empty");
  const auto items_encoding = static_cast<ColumnEncoding>(block[0]);
  if (items_encoding == ColumnEncoding::kBytesListItems) return Corrupt("nested list-items block");
  block.remove_prefix(1);
  std::vector<uint32_t> counts;
  OTELSTACK_RETURN_IF_ERROR(GetCounts(&block, rows, dictionary, &counts));
  uint64_t item_count = 0;
  for (uint32_t c : counts) item_count += c;
  // An item takes at least kListHeadBytes (an empty kvlist): more would not
  // fit in a bytes column, and the items' decoder would be asked for them.
  if (item_count == 0 || (item_count + rows) * kListHeadBytes > UINT32_MAX) return Corrupt("item count out of range");

  std::vector<uint32_t> item_ends;
  std::string items;
  OTELSTACK_RETURN_IF_ERROR(DecodeBytesColumn(items_encoding, block, item_count, &item_ends, &items,
                                              /*codes=*/nullptr, dictionary));
  if (item_ends.size() != item_count) return Corrupt("item count mismatch");
  if (data->size() + items.size() + kListHeadBytes * rows > UINT32_MAX) {
    return Status::ResourceExhausted("bytes column exceeds 4 GiB");
  }
  const size_t start = data->size();
  data->reserve(start + items.size() + kListHeadBytes * rows);
  size_t item = 0;
  uint32_t item_begin = 0;
  for (size_t i = 0; i < rows; ++i) {
    data->push_back(static_cast<char>(av::Tag::kArray));
    PutFixed32(data, counts[i]);
    const uint32_t item_end = counts[i] == 0 ? item_begin : item_ends[item + counts[i] - 1];
    data->append(items, item_begin, item_end - item_begin);
    item += counts[i];
    item_begin = item_end;
    ends->push_back(static_cast<uint32_t>(data->size()));
  }
  return Status::OK();
}

}  // namespace otelstack

#include "store/part_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>

#include "common/varint.h"
#include "store/column_codec.h"
#include "store/dependent_codec.h"
#include "store/recent_value_codec.h"
#include "store/row_ref_codec.h"

namespace otelstack {

namespace {

namespace pf = part_format;

// Reads footer fields front to back; any read past the end sets failed().
class FooterCursor {
 public:
  explicit FooterCursor(std::string_view in) : in_(in) {}
  uint64_t Varint() {
    uint64_t v = 0;
    if (!failed_ && !GetVarint64(&in_, &v)) failed_ = true;
    return v;
  }
  uint8_t Byte() {
    std::string_view b = Take(1);
    return b.empty() ? 0 : static_cast<uint8_t>(b[0]);
  }
  uint64_t Fixed64() {
    std::string_view b = Take(8);
    return b.size() == 8 ? DecodeFixed64(b.data()) : 0;
  }
  std::string_view Take(uint64_t n) {
    if (failed_ || n > in_.size()) {
      failed_ = true;
      return {};
    }
    std::string_view b = in_.substr(0, n);
    in_.remove_prefix(n);
    return b;
  }
  bool failed() const { return failed_; }
  size_t remaining() const { return in_.size(); }

 private:
  std::string_view in_;
  bool failed_ = false;
};

}  // namespace

Status PartReader::Open(const std::string& path, std::unique_ptr<PartReader>* out) {
  std::unique_ptr<PartReader> reader(new PartReader(path));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open part " + path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Status::FromErrno("stat part " + path, err);
  }
  reader->file_size_ = static_cast<uint64_t>(st.st_size);
  if (reader->file_size_ > 0) {
    void* map = ::mmap(nullptr, reader->file_size_, PROT_READ, MAP_SHARED, fd, 0);
    int err = errno;
    ::close(fd);  // the mapping keeps the file
    if (map == MAP_FAILED) return Status::FromErrno("mmap part " + path, err);
    reader->map_ = static_cast<const char*>(map);
  } else {
    ::close(fd);
  }
  OTELSTACK_RETURN_IF_ERROR(reader->LoadFooter().WithContext("part " + path));
  const SkipIndex::Sections tokens{reader->section(kTokenFilterSection), reader->section(kTokenBloomSection)};
  const SkipIndex::Sections trace_ids{reader->section(kTraceIdFilterSection), reader->section(kTraceIdBloomSection)};
  OTELSTACK_RETURN_IF_ERROR(reader->skip_index_
                                .Parse(std::string_view(reader->map_, reader->file_size_), reader->body_end_, tokens,
                                       trace_ids, reader->granules_.size())
                                .WithContext("part " + path));
  if (std::optional<std::string_view> dictionaries = reader->section(pf::kDictionarySection)) {
    OTELSTACK_RETURN_IF_ERROR(reader->dictionaries_.Parse(*dictionaries).WithContext("part " + path));
  }
  *out = std::move(reader);
  return Status::OK();
}

PartReader::~PartReader() {
  if (map_ != nullptr) ::munmap(const_cast<char*>(map_), file_size_);
}

std::optional<std::string_view> PartReader::section(uint32_t kind) const {
  for (const auto& [k, bytes] : sections_) {
    if (k == kind) return bytes;
  }
  return std::nullopt;
}

Status PartReader::View(uint64_t offset, uint64_t size, std::string_view* out) const {
  if (offset > file_size_ || size > file_size_ - offset) {
    return Status::Corruption("unexpected end of file at offset " + std::to_string(offset));
  }
  *out = std::string_view(map_ + offset, size);
  return Status::OK();
}

Status PartReader::LoadFooter() {
  if (file_size_ < pf::kHeaderSize + pf::kTrailerSize) return Status::Corruption("file too short to be a part");

  std::string_view buf;
  OTELSTACK_RETURN_IF_ERROR(View(0, pf::kHeaderSize, &buf));
  if (std::string_view(buf).substr(0, 8) != pf::kMagic) return Status::Corruption("bad header magic");
  uint32_t version = DecodeFixed32(buf.data() + 8);
  if (version < pf::kOldestFormatVersion || version > pf::kFormatVersion) {
    return Status::FailedPrecondition("unsupported part format version " + std::to_string(version));
  }

  OTELSTACK_RETURN_IF_ERROR(View(file_size_ - pf::kTrailerSize, pf::kTrailerSize, &buf));
  if (std::string_view(buf).substr(16, 8) != pf::kMagic) return Status::Corruption("bad trailer magic");
  const uint64_t footer_len = DecodeFixed64(buf.data());
  const uint64_t footer_checksum = DecodeFixed64(buf.data() + 8);
  if (footer_len > pf::kMaxFooterBytes || footer_len > file_size_ - pf::kHeaderSize - pf::kTrailerSize) {
    return Status::Corruption("bad footer length " + std::to_string(footer_len));
  }
  const uint64_t footer_start = file_size_ - pf::kTrailerSize - footer_len;
  body_end_ = footer_start;
  OTELSTACK_RETURN_IF_ERROR(View(footer_start, footer_len, &buf));
  if (XXH3_64bits(buf.data(), buf.size()) != footer_checksum) return Status::Corruption("footer checksum mismatch");
  return ParseFooter(buf, footer_start);
}

Status PartReader::ParseFooter(std::string_view footer, uint64_t footer_start) {
  FooterCursor in(footer);
  auto bad = [](std::string what) { return Status::Corruption("bad footer: " + what); };

  uint8_t signal = in.Byte();
  if (signal > static_cast<uint8_t>(Signal::kMetrics)) return bad("unknown signal " + std::to_string(signal));
  info_.signal = static_cast<Signal>(signal);

  // Stored schema, mapped onto the current one by column name.
  auto schema = SchemaOf(info_.signal);
  stored_columns_ = in.Varint();
  if (in.failed() || stored_columns_ == 0 || stored_columns_ > in.remaining()) return bad("column count");
  stored_column_of_.assign(schema.size(), -1);
  for (size_t sc = 0; sc < stored_columns_; ++sc) {
    std::string_view name = in.Take(in.Varint());
    uint8_t type = in.Byte();
    if (in.failed()) return bad("truncated schema");
    int c = ColumnIndex(info_.signal, name);
    if (c < 0) continue;  // a column since dropped from the schema
    if (static_cast<uint8_t>(schema[c].type) != type) {
      return Status::FailedPrecondition("column " + std::string(name) + " has stored type " + std::to_string(type) +
                                        ", schema type " + std::to_string(static_cast<int>(schema[c].type)));
    }
    stored_column_of_[c] = static_cast<int>(sc);
  }

  info_.rows = in.Varint();
  info_.min_time = in.Varint();
  info_.max_time = in.Varint();
  info_.file_bytes = file_size_;
  const uint64_t granule_count = in.Varint();
  // Every block entry takes at least 13 bytes: this bounds the allocations.
  if (in.failed() || info_.rows == 0 || info_.min_time > info_.max_time || granule_count == 0 ||
      granule_count > info_.rows || granule_count > in.remaining() / 13 / stored_columns_) {
    return bad("part header");
  }

  granules_.resize(granule_count);
  blocks_.resize(granule_count * stored_columns_);
  uint64_t first_row = 0;
  uint64_t prev_min_time = info_.min_time;
  uint64_t greatest_max_time = 0;
  for (uint64_t g = 0; g < granule_count; ++g) {
    GranuleInfo& gi = granules_[g];
    gi.first_row = first_row;
    gi.rows = in.Varint();
    gi.min_time = in.Varint();
    gi.max_time = in.Varint();
    if (in.failed() || gi.rows == 0 || gi.rows > info_.rows - first_row || gi.min_time > gi.max_time ||
        gi.min_time < prev_min_time || gi.max_time > info_.max_time) {
      return bad("granule " + std::to_string(g));
    }
    first_row += gi.rows;
    prev_min_time = gi.min_time;
    greatest_max_time = std::max(greatest_max_time, gi.max_time);
    for (size_t sc = 0; sc < stored_columns_; ++sc) {
      pf::BlockEntry& b = blocks_[g * stored_columns_ + sc];
      b.offset = in.Varint();
      b.stored_size = in.Varint();
      b.raw_size = in.Varint();
      b.encoding = in.Byte();
      b.compression = in.Byte();
      b.checksum = in.Fixed64();
      bool inside =
          b.offset >= pf::kHeaderSize && b.stored_size <= footer_start && b.offset <= footer_start - b.stored_size;
      if (in.failed() || !inside || b.raw_size > pf::kMaxBlockRawBytes) {
        return bad("granule " + std::to_string(g) + " block " + std::to_string(sc));
      }
    }
  }
  if (first_row != info_.rows) return bad("granule rows do not add up to part rows");
  if (granules_.front().min_time != info_.min_time || greatest_max_time != info_.max_time) {
    return bad("granule times do not match part times");
  }

  const uint64_t section_count = in.Varint();
  if (in.failed() || section_count > in.remaining()) return bad("section count");
  for (uint64_t s = 0; s < section_count; ++s) {
    uint64_t kind = in.Varint();
    std::string_view bytes = in.Take(in.Varint());
    if (in.failed() || kind == 0 || kind > UINT32_MAX) return bad("section " + std::to_string(s));
    sections_.emplace_back(static_cast<uint32_t>(kind), bytes);
  }
  if (in.remaining() != 0) return bad("trailing bytes");
  return Status::OK();
}

Status PartReader::DecodeBlock(size_t g, size_t col, std::vector<uint64_t>* fixed, std::vector<uint32_t>* ends,
                               std::string* data, std::vector<uint32_t>* codes,
                               const std::vector<std::string_view>* keys,
                               const std::span<const uint32_t>* selected) const {
  const int sc = stored_column_of_[col];
  const size_t rows = granules_[g].rows;
  if (sc < 0) {  // not in this part: zero values
    if (fixed != nullptr) {
      fixed->insert(fixed->end(), rows, 0);
    } else {
      ends->insert(ends->end(), selected != nullptr ? selected->size() : rows, static_cast<uint32_t>(data->size()));
    }
    return Status::OK();
  }
  const pf::BlockEntry& b = blocks_[g * stored_columns_ + sc];
  Status s = [&]() -> Status {
    std::string scratch;
    std::string_view raw;
    std::shared_ptr<const ZstdDictionary> dictionary;
    OTELSTACK_RETURN_IF_ERROR(RawBlock(b, &scratch, &raw, &dictionary));
    auto encoding = static_cast<ColumnEncoding>(b.encoding);
    if (selected != nullptr) {
      if (!EncodingReferencesAColumn(encoding)) {
        return DecodeBytesColumnRows(encoding, raw, rows, *selected, ends, data, dictionary.get());
      }
      // Decoded with the column it refers to, whole (in dictionary form when
      // the encoding has one: each distinct value once); then the selected
      // rows.
      std::vector<uint32_t> all_ends, all_codes;
      std::string all_data;
      if (encoding == ColumnEncoding::kBytesRowRef) {
        OTELSTACK_RETURN_IF_ERROR(DecodeRowRefBlock(g, col, raw, &all_ends, &all_data));
      } else {
        OTELSTACK_RETURN_IF_ERROR(
            DecodeDependentBlock(g, col, encoding, raw, nullptr, &all_ends, &all_data, &all_codes));
      }
      AppendSelectedValues(BytesColumnView{all_ends, 0, all_data.data()}, all_codes, *selected, ends, data);
      return Status::OK();
    }
    if (encoding == ColumnEncoding::kFixedDependent || encoding == ColumnEncoding::kBytesDependent ||
        encoding == ColumnEncoding::kBytesConditional || encoding == ColumnEncoding::kBytesRecentByClass) {
      return DecodeDependentBlock(g, col, encoding, raw, fixed, ends, data, codes);
    }
    if (fixed != nullptr) {
      if (!FixedEncodingNeedsTime(encoding)) return DecodeFixedColumn(encoding, raw, rows, fixed);
      if (col == kTimeColumn) return Status::Corruption("time column stored relative to itself");
      std::vector<uint64_t> time;
      time.reserve(rows);
      OTELSTACK_RETURN_IF_ERROR(DecodeBlock(g, kTimeColumn, &time, nullptr, nullptr));
      return DecodeFixedColumn(encoding, raw, rows, fixed, time);
    }
    if (encoding == ColumnEncoding::kBytesRowRef) return DecodeRowRefBlock(g, col, raw, ends, data);
    if (keys != nullptr && IsShreddedEncoding(encoding)) {
      return DecodeBytesColumnKeys(encoding, raw, rows, *keys, ends, data, dictionary.get());
    }
    return DecodeBytesColumn(encoding, raw, rows, ends, data, codes, dictionary.get());
  }();
  if (s.ok()) return s;
  return WithBlockContext(s, g, col);
}

Status PartReader::WithBlockContext(const Status& s, size_t g, size_t col) const {
  return s.WithContext("part " + path_ + " granule " + std::to_string(g) + " column " +
                       std::string(SchemaOf(info_.signal)[col].name));
}

Status PartReader::RawBlock(const pf::BlockEntry& b, std::string* scratch, std::string_view* raw,
                            std::shared_ptr<const ZstdDictionary>* dictionary) const {
  std::string_view stored;
  OTELSTACK_RETURN_IF_ERROR(View(b.offset, b.stored_size, &stored));
  if (XXH3_64bits(stored.data(), stored.size()) != b.checksum) return Status::Corruption("block checksum mismatch");
  auto compression = static_cast<pf::BlockCompression>(b.compression);
  dictionary->reset();
  if (pf::RefersToDictionary(b.compression)) {
    uint64_t id;
    OTELSTACK_RETURN_IF_ERROR(SplitDictionaryId(stored, &id, &stored));
    OTELSTACK_RETURN_IF_ERROR(Dictionary(id, dictionary));
    compression = compression == pf::BlockCompression::kZstdDictionary ? pf::BlockCompression::kZstd
                                                                       : pf::BlockCompression::kNone;
  }
  return DecompressBlock(compression, stored, b.raw_size, scratch, raw, dictionary->get());
}

bool PartReader::StoresShredded(size_t g, size_t col) const {
  const int sc = stored_column_of_[col];
  return sc >= 0 && IsShreddedEncoding(static_cast<ColumnEncoding>(blocks_[g * stored_columns_ + sc].encoding));
}

Status PartReader::ReadGranuleMapFields(size_t g, size_t col, const std::function<bool(anyvalue::Tag)>& keep,
                                        MapFields* out) const {
  if (!StoresShredded(g, col)) return Status::InvalidArgument("not a shredded attribute-map block");
  const pf::BlockEntry& b = blocks_[g * stored_columns_ + stored_column_of_[col]];
  std::string_view raw;
  std::shared_ptr<const ZstdDictionary> dictionary;
  Status s = RawBlock(b, &out->block, &raw, &dictionary);
  if (s.ok()) {
    s = DecodeKvShreddedFields(static_cast<ColumnEncoding>(b.encoding), raw, granules_[g].rows, keep, out,
                               dictionary.get());
  }
  return s.ok() ? s : WithBlockContext(s, g, col);
}

Status PartReader::ReferencedColumn(size_t g, size_t col, std::string_view raw, size_t* ref) const {
  uint32_t stored_ref;
  OTELSTACK_RETURN_IF_ERROR(ReferencedStoredColumn(raw, &stored_ref));
  auto schema = SchemaOf(info_.signal);
  *ref = 0;
  while (*ref < schema.size() && stored_column_of_[*ref] != static_cast<int>(stored_ref)) ++*ref;
  if (*ref == schema.size() || *ref == col || IsFixed(schema[*ref].type)) {
    return Status::Corruption("block refers to stored column " + std::to_string(stored_ref) +
                              ", not another bytes column");
  }
  // References may chain (a SpanId to its TraceId to its ServiceName), but
  // only towards lower stored columns, so they never form a cycle and
  // decoding them ends.
  const auto ref_encoding = static_cast<ColumnEncoding>(blocks_[g * stored_columns_ + stored_ref].encoding);
  if (EncodingReferencesAColumn(ref_encoding) && stored_ref >= static_cast<uint32_t>(stored_column_of_[col])) {
    return Status::Corruption("block refers to a later column's block that refers to a column");
  }
  return Status::OK();
}

Status PartReader::DecodeRowRefBlock(size_t g, size_t col, std::string_view raw, std::vector<uint32_t>* ends,
                                     std::string* data) const {
  size_t ref;
  OTELSTACK_RETURN_IF_ERROR(ReferencedColumn(g, col, raw, &ref));
  std::vector<uint32_t> ref_ends;
  std::string ref_data;
  ref_ends.reserve(granules_[g].rows);
  OTELSTACK_RETURN_IF_ERROR(DecodeBlock(g, ref, nullptr, &ref_ends, &ref_data));
  return DecodeRowRefColumn(raw, granules_[g].rows, BytesColumnView{ref_ends, 0, ref_data.data()}, ends, data);
}

Status PartReader::DecodeDependentBlock(size_t g, size_t col, ColumnEncoding encoding, std::string_view raw,
                                        std::vector<uint64_t>* fixed, std::vector<uint32_t>* ends, std::string* data,
                                        std::vector<uint32_t>* codes) const {
  if ((encoding == ColumnEncoding::kFixedDependent) != (fixed != nullptr)) {
    return Status::Corruption(std::string(ColumnEncodingName(encoding)) + " block in a column of the other kind");
  }
  std::shared_ptr<const RowClasses> referenced;
  OTELSTACK_RETURN_IF_ERROR(ReferenceClasses(g, col, raw, &referenced));
  const RowClasses& classes = *referenced;
  if (classes.of_row.size() != granules_[g].rows) return Status::Corruption("referenced column has another row count");
  switch (encoding) {
    case ColumnEncoding::kFixedDependent:
      return DecodeDependentFixedColumn(raw, classes, fixed);
    case ColumnEncoding::kBytesConditional:
      return DecodeConditionalBytesColumn(raw, classes, ends, data, codes);
    case ColumnEncoding::kBytesRecentByClass:
      return DecodeRecentValuesByClass(raw, classes, ends, data);
    default:
      return DecodeDependentBytesColumn(raw, classes, ends, data, codes);
  }
}

std::shared_ptr<const RowClasses> PartReader::ClassesCache::Find(size_t g, size_t col) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Entry& e : entries_) {
    if (e.granule == g && e.column == col) return e.classes;
  }
  return nullptr;
}

void PartReader::ClassesCache::Add(size_t g, size_t col, std::shared_ptr<const RowClasses> classes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() == kCapacity) entries_.erase(entries_.begin());
  entries_.push_back(Entry{g, col, std::move(classes)});
}

Status PartReader::ReferenceClasses(size_t g, size_t col, std::string_view raw,
                                    std::shared_ptr<const RowClasses>* classes) const {
  size_t ref;
  OTELSTACK_RETURN_IF_ERROR(ReferencedColumn(g, col, raw, &ref));
  if ((*classes = classes_cache_.Find(g, ref)) != nullptr) return Status::OK();
  std::vector<uint32_t> ends, codes;
  std::string data;
  OTELSTACK_RETURN_IF_ERROR(DecodeBlock(g, ref, nullptr, &ends, &data, &codes));
  auto computed = std::make_shared<RowClasses>();
  if (!codes.empty()) {
    ClassifyByCodes(codes, computed.get());
  } else {
    ClassifyByValues(BytesColumnView{ends, 0, data.data()}, computed.get());
  }
  classes_cache_.Add(g, ref, computed);
  *classes = std::move(computed);
  return Status::OK();
}

Status PartReader::ReadGranule(size_t i, std::span<const size_t> columns, RowBatch* out, bool keep_dictionaries,
                               std::span<const ColumnKeys> key_projections) const {
  if (i >= granules_.size()) {
    return Status::InvalidArgument("part " + path_ + ": granule " + std::to_string(i) + " out of range");
  }
  auto schema = SchemaOf(info_.signal);
  if (out->signal() != info_.signal) *out = RowBatch(info_.signal);
  out->SetRowCountWithEmptyColumns(granules_[i].rows);
  for (size_t col : columns) {
    if (col >= schema.size()) {
      return Status::InvalidArgument("part " + path_ + ": column " + std::to_string(col) + " out of range");
    }
    if (IsFixed(schema[col].type)) {
      std::vector<uint64_t> values;
      values.reserve(granules_[i].rows);
      OTELSTACK_RETURN_IF_ERROR(DecodeBlock(i, col, &values, nullptr, nullptr));
      out->SetColumnFixed(col, std::move(values));
    } else {
      std::vector<uint32_t> ends, codes;
      std::string data;
      ends.reserve(granules_[i].rows);
      std::vector<std::string_view> keys;
      bool projected = false;
      for (const ColumnKeys& p : key_projections) {
        if (p.column != col) continue;
        projected = true;
        keys.insert(keys.end(), p.keys.begin(), p.keys.end());
      }
      OTELSTACK_RETURN_IF_ERROR(DecodeBlock(i, col, nullptr, &ends, &data, keep_dictionaries ? &codes : nullptr,
                                            projected ? &keys : nullptr));
      if (codes.empty()) {
        out->SetColumnBytes(col, std::move(ends), std::move(data));
      } else {
        out->SetColumnDictionary(col, std::move(ends), std::move(data), std::move(codes));
      }
    }
  }
  return Status::OK();
}

Status PartReader::ReadGranuleRows(size_t i, size_t col, std::span<const uint32_t> selected, RowBatch* out) const {
  auto schema = SchemaOf(info_.signal);
  if (i >= granules_.size() || col >= schema.size()) {
    return Status::InvalidArgument("part " + path_ + ": granule " + std::to_string(i) + " or column " +
                                   std::to_string(col) + " out of range");
  }
  if (!IsRowSelection(selected, granules_[i].rows)) {
    return Status::InvalidArgument("part " + path_ + ": row selection out of order or range");
  }
  if (out->signal() != info_.signal) *out = RowBatch(info_.signal);
  out->SetRowCountWithEmptyColumns(selected.size());
  if (IsFixed(schema[col].type)) {
    std::vector<uint64_t> all, values;
    all.reserve(granules_[i].rows);
    OTELSTACK_RETURN_IF_ERROR(DecodeBlock(i, col, &all, nullptr, nullptr));
    values.reserve(selected.size());
    for (uint32_t row : selected) values.push_back(all[row]);
    out->SetColumnFixed(col, std::move(values));
    return Status::OK();
  }
  std::vector<uint32_t> ends;
  std::string data;
  ends.reserve(selected.size());
  OTELSTACK_RETURN_IF_ERROR(DecodeBlock(i, col, nullptr, &ends, &data, nullptr, nullptr, &selected));
  out->SetColumnBytes(col, std::move(ends), std::move(data));
  return Status::OK();
}

Status PartReader::ReadAll(RowBatch* out) const {
  auto schema = SchemaOf(info_.signal);
  if (out->signal() != info_.signal) *out = RowBatch(info_.signal);
  out->SetRowCount(info_.rows);
  for (size_t col = 0; col < schema.size(); ++col) {
    if (IsFixed(schema[col].type)) {
      std::vector<uint64_t> values;
      values.reserve(info_.rows);
      for (size_t g = 0; g < granules_.size(); ++g) {
        OTELSTACK_RETURN_IF_ERROR(DecodeBlock(g, col, &values, nullptr, nullptr));
      }
      out->SetColumnFixed(col, std::move(values));
    } else {
      std::vector<uint32_t> ends;
      std::string data;
      ends.reserve(info_.rows);
      for (size_t g = 0; g < granules_.size(); ++g) {
        OTELSTACK_RETURN_IF_ERROR(DecodeBlock(g, col, nullptr, &ends, &data));
      }
      out->SetColumnBytes(col, std::move(ends), std::move(data));
    }
  }
  return Status::OK();
}

bool PartReader::StoresCurrentSchema() const {
  if (stored_columns_ != stored_column_of_.size()) return false;
  for (size_t c = 0; c < stored_column_of_.size(); ++c) {
    if (stored_column_of_[c] != static_cast<int>(c)) return false;
  }
  return true;
}

Status PartReader::StoredBlock(size_t g, size_t col, part_format::BlockEntry* entry, std::string_view* bytes) const {
  if (g >= granules_.size() || col >= stored_column_of_.size() || stored_column_of_[col] < 0) {
    return Status::InvalidArgument("part " + path_ + ": no stored block for granule " + std::to_string(g) + " column " +
                                   std::to_string(col));
  }
  *entry = blocks_[g * stored_columns_ + stored_column_of_[col]];
  return View(entry->offset, entry->stored_size, bytes).WithContext("part " + path_);
}

void PartReader::ReleaseGranulePages(size_t g) const {
  if (g >= granules_.size() || map_ == nullptr) return;
  const char* lo = map_ + file_size_;
  const char* hi = map_;
  auto cover = [&](const char* begin, size_t size) {
    if (size == 0) return;
    lo = std::min(lo, begin);
    hi = std::max(hi, begin + size);
  };
  for (size_t sc = 0; sc < stored_columns_; ++sc) {
    const pf::BlockEntry& b = blocks_[g * stored_columns_ + sc];
    cover(map_ + b.offset, b.stored_size);
  }
  for (const SkipIndex::StoredFilter& filter : {skip_index_.StoredTokenFilter(g), skip_index_.StoredTraceIdFilter(g)}) {
    cover(filter.bytes.data(), filter.bytes.size());
  }
  // Whole pages inside [lo, hi) only: the pages at either end may hold a
  // neighbouring granule still in use.
  const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  uintptr_t first = (reinterpret_cast<uintptr_t>(lo) + page - 1) / page * page;
  uintptr_t last = reinterpret_cast<uintptr_t>(hi) / page * page;
  if (first < last) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

uint64_t PartReader::ColumnStoredBytes(size_t col) const {
  if (col >= stored_column_of_.size() || stored_column_of_[col] < 0) return 0;
  uint64_t total = 0;
  for (size_t g = 0; g < granules_.size(); ++g)
    total += blocks_[g * stored_columns_ + stored_column_of_[col]].stored_size;
  return total;
}

}  // namespace otelstack

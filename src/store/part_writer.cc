#include "store/part_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <set>
#include <vector>

#include "common/file_util.h"
#include "common/varint.h"
#include "store/column_codec.h"
#include "store/dependent_codec.h"
#include "store/part_dictionaries.h"
#include "store/recent_value_codec.h"
#include "store/row_ref_codec.h"
#include "store/skip_index/skip_index.h"

namespace otelstack {

namespace {

namespace pf = part_format;

// A file being written sequentially; closes (but does not remove) on destruction.
class OutputFile {
 public:
  ~OutputFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Create(const std::string& path) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) return Status::FromErrno("create " + path, errno);
    // A stale file of the same name keeps its old mode through O_TRUNC.
    if (::fchmod(fd_, 0600) != 0) return Status::FromErrno("chmod " + path, errno);
    return Status::OK();
  }

  Status Append(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::FromErrno("write " + path_, errno);
      }
      bytes.remove_prefix(static_cast<size_t>(n));
      offset_ += static_cast<uint64_t>(n);
    }
    return Status::OK();
  }

  Status SyncAndClose() {
    if (::fsync(fd_) != 0) return Status::FromErrno("fsync " + path_, errno);
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return Status::FromErrno("close " + path_, errno);
    return Status::OK();
  }

  uint64_t offset() const { return offset_; }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t offset_ = 0;
};

struct GranuleEntry {
  uint64_t rows, min_time, max_time;
  std::vector<pf::BlockEntry> blocks;  // one per column
};

// Rows [first, first + rows) of bytes column c (not in dictionary form).
BytesColumnView RowsView(const RowBatch& batch, size_t c, size_t first, size_t rows) {
  return BytesColumnView{batch.BytesEnds(c).subspan(first, rows), first == 0 ? 0 : batch.BytesEnds(c)[first - 1],
                         batch.BytesData(c).data()};
}

// Encodes rows [first, first + rows) of bytes column c into *out. A column in
// dictionary form (resource and scope columns of decoded requests) is
// encoded from its codes when that gives the block the expanded rows would;
// otherwise its rows are expanded first.
ColumnEncoding EncodeBytesRows(const RowBatch& batch, size_t c, size_t first, size_t rows,
                               const BytesEncodeOptions& encode, std::string* out) {
  BytesColumnView view;
  std::vector<uint32_t> expanded_ends;
  std::string expanded;
  if (batch.InDictionaryForm(c)) {
    const BytesColumnView entries{batch.EntryEnds(c), 0, batch.EntryData(c).data()};
    ColumnEncoding encoding;
    if (EncodeCodedBytesColumn(batch.Codes(c).subspan(first, rows), entries, encode, out, &encoding)) return encoding;
    for (size_t r = first; r < first + rows; ++r) {
      expanded.append(batch.Bytes(c, r));
      expanded_ends.push_back(static_cast<uint32_t>(expanded.size()));
    }
    view = BytesColumnView{expanded_ends, 0, expanded.data()};
  } else {
    view = RowsView(batch, c, first, rows);
  }
  return EncodeBytesColumn(view, out, encode);
}

// Replaces the block of bytes column c in *raw with references into the
// column RowReferenceColumn names (kBytesRowRef) when that is smaller.
void TryRowReferences(const RowBatch& batch, size_t c, size_t first, size_t rows, std::string* raw,
                      ColumnEncoding* encoding) {
  const int ref = RowReferenceColumn(batch.signal(), c);
  if (ref < 0 || batch.InDictionaryForm(c) || batch.InDictionaryForm(ref)) return;
  thread_local std::string references;
  if (EncodeRowRefColumn(RowsView(batch, c, first, rows), RowsView(batch, ref, first, rows), static_cast<uint32_t>(ref),
                         raw->size(), &references)) {
    raw->swap(references);
    *encoding = ColumnEncoding::kBytesRowRef;
  }
}

// The classes of a granule's rows by the value of each column asked for
// (dependent_codec.h), computed once for all the columns that try it.
class GranuleClasses {
 public:
  GranuleClasses(const RowBatch& batch, size_t first, size_t rows)
      : batch_(batch), first_(first), rows_(rows), by_column_(batch.columns()) {}

  // REQUIRES: col is a bytes column.
  const RowClasses& Of(size_t col) {
    std::optional<RowClasses>& classes = by_column_[col];
    if (classes.has_value()) return *classes;
    classes.emplace();
    if (batch_.InDictionaryForm(col)) {
      ClassifyByCodes(batch_.Codes(col).subspan(first_, rows_), &*classes);
    } else {
      ClassifyByValues(RowsView(batch_, col, first_, rows_), &*classes);
    }
    return *classes;
  }

 private:
  const RowBatch& batch_;
  const size_t first_, rows_;
  std::vector<std::optional<RowClasses>> by_column_;
};

// Encodes rows [first, first + rows) of column c into *raw, unless it is
// constant (a constant block is smaller): as a function of the first of its
// DeterminingColumns that determines it (kBytesDependent, kFixedDependent),
// else, for a bytes column, as indexes into the values seen with each value
// of the first one (kBytesConditional) when there are few. False otherwise.
bool EncodeDependent(const RowBatch& batch, size_t c, size_t first, size_t rows, GranuleClasses* classes,
                     std::string* raw, ColumnEncoding* encoding) {
  const std::span<const size_t> references = DeterminingColumns(batch.signal(), c);
  if (references.empty()) return false;
  if (IsFixed(SchemaOf(batch.signal())[c].type)) {
    const std::span<const uint64_t> values = batch.FixedColumn(c).subspan(first, rows);
    if (std::all_of(values.begin(), values.end(), [&](uint64_t v) { return v == values[0]; })) return false;
    for (size_t ref : references) {
      if (EncodeDependentFixedColumn(values, classes->Of(ref), static_cast<uint32_t>(ref), raw)) {
        *encoding = ColumnEncoding::kFixedDependent;
        return true;
      }
    }
    return false;
  }
  const RowClasses& own = classes->Of(c);
  if (own.count() < 2) return false;
  std::vector<std::string_view> class_values;
  class_values.reserve(own.count());
  for (uint32_t row : own.first_row) class_values.push_back(batch.Bytes(c, first + row));
  for (size_t ref : references) {
    if (EncodeDependentBytesColumn(own, class_values, classes->Of(ref), static_cast<uint32_t>(ref), raw)) {
      *encoding = ColumnEncoding::kBytesDependent;
      return true;
    }
  }
  const size_t ref = references.front();
  if (EncodeConditionalBytesColumn(own, class_values, classes->Of(ref), static_cast<uint32_t>(ref), raw)) {
    *encoding = ColumnEncoding::kBytesConditional;
    return true;
  }
  return false;
}

// Whether another column of signal s refers to column c by its classes
// (DeterminingColumns, RecentValueClassColumn), so that GranuleClasses
// computes them for every granule.
bool ClassesAreNeeded(Signal s, size_t c) {
  for (size_t other = 0; other < SchemaOf(s).size(); ++other) {
    const std::span<const size_t> determining = DeterminingColumns(s, other);
    if (RecentValueClassColumn(s, other) == static_cast<int>(c) ||
        std::find(determining.begin(), determining.end(), c) != determining.end()) {
      return true;
    }
  }
  return false;
}

// Encodes rows [first, first + rows) of bytes column c into *raw with a
// recent-value list per value of its RecentValueClassColumn
// (kBytesRecentByClass). False when c has none, or its values rarely repeat.
bool EncodeRecentByClass(const RowBatch& batch, size_t c, size_t first, size_t rows, GranuleClasses* classes,
                         std::string* raw) {
  const int class_column = RecentValueClassColumn(batch.signal(), c);
  if (class_column < 0 || batch.InDictionaryForm(c)) return false;
  const BytesColumnView values = RowsView(batch, c, first, rows);
  const size_t plain_bytes = values.ends[rows - 1] - values.begin + rows;  // ids are shorter than 128 bytes
  // The classes of a column that others refer to by its classes (a log's
  // TraceId) are computed for them anyway: they serve as value ids, which
  // spares hashing and comparing the values.
  const std::span<const uint32_t> value_ids = ClassesAreNeeded(batch.signal(), c)
                                                  ? std::span<const uint32_t>(classes->Of(c).of_row)
                                                  : std::span<const uint32_t>();
  return EncodeRecentValuesByClass(values, value_ids, classes->Of(static_cast<size_t>(class_column)),
                                   static_cast<uint32_t>(class_column), plain_bytes, raw);
}

// Compresses column c's encoded block `raw` into *stored and sets *b's
// compression: with the column's part dictionary once it has one, else
// alone, recording what compressed well to make the dictionary from.
// `streams` is what the encoder compressed the block's own streams with:
// when it used the dictionary (*streams.used_dictionary, REQUIRES: not
// null), or compressing the whole block does, the block refers to it.
// *frame is scratch space.
Status CompressColumnBlock(size_t c, ColumnEncoding encoding, const std::string& raw, const StreamCompression& streams,
                           PartDictionaryWriter* dictionaries, std::string* frame, std::string* stored,
                           pf::BlockEntry* b) {
  pf::BlockCompression compression = pf::BlockCompression::kNone;
  if (!BlockCompressesItself(encoding, raw)) {
    OTELSTACK_RETURN_IF_ERROR(CompressBlock(raw, streams, frame, &compression));
  }
  stored->clear();
  if (*streams.used_dictionary) {
    PutFixed64(stored, streams.dictionary->id());
    dictionaries->Use(c);
    compression = compression == pf::BlockCompression::kZstd ? pf::BlockCompression::kZstdDictionary
                                                             : pf::BlockCompression::kDictionaryStreams;
  }
  stored->append(compression == pf::BlockCompression::kNone || compression == pf::BlockCompression::kDictionaryStreams
                     ? raw
                     : *frame);
  if (streams.dictionary == nullptr && streams.record != nullptr) dictionaries->Make(c, *streams.record);
  b->compression = static_cast<uint8_t>(compression);
  return Status::OK();
}

// Encodes rows [first, first + rows) of every column, appending the blocks to
// *out and their entries (offsets from `base`, the file offset of *out) to *g.
// The attribute maps' values and the text columns' text are passed to
// `index` (may be null) as their encoders read them. Blocks are compressed
// with the columns' part dictionaries (made from the first granule).
Status EncodeGranule(const RowBatch& batch, size_t first, size_t rows, const PartWriteOptions& options, uint64_t base,
                     SkipIndexBuilder* index, PartDictionaryWriter* dictionaries, std::string* out, GranuleEntry* g) {
  auto schema = SchemaOf(batch.signal());
  std::string raw, frame, stored, recorded;
  g->rows = rows;
  g->min_time = batch.Time(first);
  g->max_time = batch.Time(first + rows - 1);
  g->blocks.resize(schema.size());
  GranuleClasses classes(batch, first, rows);
  for (size_t c = 0; c < schema.size(); ++c) {
    bool used_dictionary = false;
    recorded.clear();
    StreamCompression streams{.level = options.zstd_level,
                              .dictionary = dictionaries->Of(c),
                              .used_dictionary = &used_dictionary,
                              .record = dictionaries->Of(c) == nullptr ? &recorded : nullptr};
    ColumnEncoding encoding;
    if (EncodeDependent(batch, c, first, rows, &classes, &raw, &encoding)) {
      // A value per distinct value of another column: nothing else is tried.
    } else if (EncodeRecentByClass(batch, c, first, rows, &classes, &raw)) {
      encoding = ColumnEncoding::kBytesRecentByClass;
    } else if (IsFixed(schema[c].type)) {
      // Other timestamp columns may be stored relative to the time column.
      const bool relative_to_time = schema[c].type == ColumnType::kTimestamp && c != kTimeColumn;
      encoding = EncodeFixedColumn(
          batch.FixedColumn(c).subspan(first, rows), &raw,
          relative_to_time ? batch.FixedColumn(kTimeColumn).subspan(first, rows) : std::span<const uint64_t>());
    } else {
      BytesEncodeOptions encode;
      encode.try_shredding = options.shred_attribute_maps;
      encode.try_text_templates = schema[c].type == ColumnType::kAny;
      encode.try_recent_values = schema[c].type == ColumnType::kId;
      encode.compression = streams;
      if (index != nullptr) {  // null sinks for the columns the index does not hold
        encode.map_values = index->AttributeValuesOf(c);
        encode.text_values = index->TextValuesOf(c);
      }
      encoding = EncodeBytesRows(batch, c, first, rows, encode, &raw);
      TryRowReferences(batch, c, first, rows, &raw, &encoding);
    }
    pf::BlockEntry& b = g->blocks[c];
    OTELSTACK_RETURN_IF_ERROR(CompressColumnBlock(c, encoding, raw, streams, dictionaries, &frame, &stored, &b));
    b.offset = base + out->size();
    b.stored_size = stored.size();
    b.raw_size = raw.size();
    b.encoding = static_cast<uint8_t>(encoding);
    b.checksum = XXH3_64bits(stored.data(), stored.size());
    out->append(stored);
  }
  return Status::OK();
}

std::string EncodeFooter(Signal signal, uint64_t rows, uint64_t min_time, uint64_t max_time,
                         const std::vector<GranuleEntry>& granules, std::span<const pf::Section> sections) {
  std::string f;
  f.push_back(static_cast<char>(signal));
  auto schema = SchemaOf(signal);
  PutVarint64(&f, schema.size());
  for (const ColumnDef& def : schema) {
    PutVarint64(&f, def.name.size());
    f.append(def.name);
    f.push_back(static_cast<char>(def.type));
  }
  PutVarint64(&f, rows);
  PutVarint64(&f, min_time);
  PutVarint64(&f, max_time);
  PutVarint64(&f, granules.size());
  for (const GranuleEntry& g : granules) {
    PutVarint64(&f, g.rows);
    PutVarint64(&f, g.min_time);
    PutVarint64(&f, g.max_time);
    for (const pf::BlockEntry& b : g.blocks) {
      PutVarint64(&f, b.offset);
      PutVarint64(&f, b.stored_size);
      PutVarint64(&f, b.raw_size);
      f.push_back(static_cast<char>(b.encoding));
      f.push_back(static_cast<char>(b.compression));
      PutFixed64(&f, b.checksum);
    }
  }
  PutVarint64(&f, sections.size());
  for (const pf::Section& s : sections) {
    PutVarint64(&f, s.kind);
    PutVarint64(&f, s.bytes.size());
    f.append(s.bytes);
  }
  return f;
}

Status CheckSections(std::span<const pf::Section> sections) {
  std::set<uint32_t> kinds;
  for (const pf::Section& s : sections) {
    if (s.kind == 0 || !kinds.insert(s.kind).second) {
      return Status::InvalidArgument("bad or duplicate footer section kind " + std::to_string(s.kind));
    }
  }
  return Status::OK();
}

}  // namespace

struct PartWriter::State {
  explicit State(Signal signal) : skip_indexes(signal), dictionaries(SchemaOf(signal).size()) {}
  OutputFile file;
  std::vector<GranuleEntry> granules;
  std::string buf;
  SkipIndexBuilder skip_indexes;
  std::string token_filter, trace_id_filter;  // reused per granule
  std::vector<FilterLocation> token_filters, trace_id_filters;
  PartDictionaryWriter dictionaries;
};

namespace {
// Appends a granule's skip-index filter to the part body and notes where it
// is, with its format and checksum (of its bytes, or the one a copied filter
// came with).
Status AppendFilter(OutputFile* file, const SkipIndex::StoredFilter& filter, std::vector<FilterLocation>* locations) {
  FilterLocation l;
  l.format = filter.format;
  l.offset = file->offset();
  l.size = filter.bytes.size();
  l.checksum = filter.checksum;
  locations->push_back(l);
  return file->Append(filter.bytes);
}

uint64_t Checksum(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }
}  // namespace

PartWriter::PartWriter(std::string path, Signal signal, PartWriteOptions options)
    : path_(std::move(path)),
      tmp_(path_ + ".tmp"),
      signal_(signal),
      options_(options),
      state_(std::make_unique<State>(signal)) {}

PartWriter::~PartWriter() {
  if (!finished_) ::unlink(tmp_.c_str());
}

Status PartWriter::Create(const std::string& path, Signal signal, const PartWriteOptions& options,
                          std::unique_ptr<PartWriter>* out) {
  if (options.granule_rows == 0)
    return Status::InvalidArgument("write part " + path + ": granule_rows must be positive");
  std::unique_ptr<PartWriter> w(new PartWriter(path, signal, options));
  OTELSTACK_RETURN_IF_ERROR(w->state_->file.Create(w->tmp_).WithContext("write part " + path));
  std::string header(pf::kMagic);
  PutFixed32(&header, pf::kFormatVersion);
  OTELSTACK_RETURN_IF_ERROR(w->state_->file.Append(header).WithContext("write part " + path));
  *out = std::move(w);
  return Status::OK();
}

Status PartWriter::AddGranule(const RowBatch& batch, size_t first, size_t rows) {
  if (batch.signal() != signal_) return Status::InvalidArgument("write part " + path_ + ": wrong signal");
  if (rows == 0 || rows > options_.granule_rows || first + rows > batch.rows()) {
    return Status::InvalidArgument("write part " + path_ + ": bad granule row range");
  }
  if (batch.Time(first) < last_granule_min_time_) {
    return Status::InvalidArgument("write part " + path_ + ": granule starts before the previous one");
  }
  for (size_t r = first + 1; r < first + rows; ++r) {
    if (batch.Time(r) < batch.Time(r - 1)) {
      return Status::InvalidArgument("write part " + path_ + ": rows are not sorted by time at row " +
                                     std::to_string(rows_ + (r - first)));
    }
  }
  State& st = *state_;
  st.buf.clear();
  st.granules.emplace_back();
  SkipIndexBuilder* index = options_.build_skip_indexes ? &st.skip_indexes : nullptr;
  Status s = EncodeGranule(batch, first, rows, options_, st.file.offset(), index, &st.dictionaries, &st.buf,
                           &st.granules.back());
  if (s.ok()) s = st.file.Append(st.buf);
  if (s.ok() && options_.build_skip_indexes) {
    st.skip_indexes.BuildGranule(batch, first, rows, &st.token_filter, &st.trace_id_filter);
    s = AppendFilter(&st.file, {SkipIndexBuilder::kTokenFilterFormat, st.token_filter, Checksum(st.token_filter)},
                     &st.token_filters);
    if (s.ok() && st.skip_indexes.has_trace_ids()) {
      s = AppendFilter(&st.file,
                       {SkipIndexBuilder::kTraceIdFilterFormat, st.trace_id_filter, Checksum(st.trace_id_filter)},
                       &st.trace_id_filters);
    }
  }
  if (!s.ok()) return s.WithContext("write part " + path_);
  NoteGranule(rows, batch.Time(first), batch.Time(first + rows - 1));
  return Status::OK();
}

Status PartWriter::CopyGranule(const PartReader& source, size_t g) {
  auto fail = [&](const std::string& why) {
    return Status::InvalidArgument("write part " + path_ + ": cannot copy granule " + std::to_string(g) + " of " +
                                   source.path() + ": " + why);
  };
  if (source.info().signal != signal_) return fail("wrong signal");
  if (!source.StoresCurrentSchema()) return fail("it stores another schema");
  if (g >= source.granule_count()) return fail("no such granule");
  const GranuleInfo& info = source.granule(g);
  if (info.rows > options_.granule_rows) return fail("more rows than a granule of this part may hold");
  if (info.min_time < last_granule_min_time_) return fail("it starts before the previous granule");
  State& st = *state_;
  st.buf.clear();
  GranuleEntry entry{info.rows, info.min_time, info.max_time, {}};
  const size_t columns = SchemaOf(signal_).size();
  entry.blocks.resize(columns);
  for (size_t c = 0; c < columns; ++c) {
    std::string_view stored;
    OTELSTACK_RETURN_IF_ERROR(source.StoredBlock(g, c, &entry.blocks[c], &stored).WithContext("write part " + path_));
    entry.blocks[c].offset = st.file.offset() + st.buf.size();  // encoding, sizes and checksum carry over
    if (pf::RefersToDictionary(entry.blocks[c].compression)) {  // the copy refers to it too
      // Copied unverified, like the block: a damaged block whose id names no
      // dictionary is copied as it is, and fails to read there as here.
      uint64_t id;
      std::string_view rest;
      std::shared_ptr<const ZstdDictionary> dictionary;
      if (SplitDictionaryId(stored, &id, &rest).ok() && source.Dictionary(id, &dictionary).ok()) {
        st.dictionaries.Keep(std::move(dictionary));
      }
    }
    st.buf.append(stored);
  }
  Status s = st.file.Append(st.buf);
  if (s.ok() && options_.build_skip_indexes) {
    s = AppendFilter(&st.file, source.skip_index().StoredTokenFilter(g), &st.token_filters);
    if (s.ok() && st.skip_indexes.has_trace_ids()) {
      s = AppendFilter(&st.file, source.skip_index().StoredTraceIdFilter(g), &st.trace_id_filters);
    }
  }
  if (!s.ok()) return s.WithContext("write part " + path_);
  st.granules.push_back(std::move(entry));
  NoteGranule(info.rows, info.min_time, info.max_time);
  return Status::OK();
}

void PartWriter::NoteGranule(uint64_t rows, uint64_t min_time, uint64_t max_time) {
  if (rows_ == 0) min_time_ = min_time;
  max_time_ = std::max(max_time_, max_time);
  last_granule_min_time_ = min_time;
  rows_ += rows;
}

Status PartWriter::AddRows(const RowBatch& batch) {
  for (size_t first = 0; first < batch.rows(); first += options_.granule_rows) {
    OTELSTACK_RETURN_IF_ERROR(AddGranule(batch, first, std::min(options_.granule_rows, batch.rows() - first)));
  }
  return Status::OK();
}

Status PartWriter::Finish(std::span<const pf::Section> sections, PartInfo* info) {
  auto fail = [&](const Status& s) { return s.WithContext("write part " + path_); };
  if (rows_ == 0) return fail(Status::InvalidArgument("part must hold at least one row"));
  State& st = *state_;
  std::vector<pf::Section> all_sections(sections.begin(), sections.end());
  if (options_.build_skip_indexes) {
    all_sections.push_back(SkipIndexBuilder::LocationSection(kTokenFilterSection, st.token_filters));
    if (st.skip_indexes.has_trace_ids()) {
      all_sections.push_back(SkipIndexBuilder::LocationSection(kTraceIdFilterSection, st.trace_id_filters));
    }
  }
  if (st.dictionaries.any_used()) {
    OTELSTACK_RETURN_IF_ERROR(fail(st.dictionaries.Section(options_.zstd_level, &all_sections.emplace_back())));
  }
  OTELSTACK_RETURN_IF_ERROR(fail(CheckSections(all_sections)));
  std::string footer = EncodeFooter(signal_, rows_, min_time_, max_time_, st.granules, all_sections);
  uint64_t footer_checksum = XXH3_64bits(footer.data(), footer.size());
  PutFixed64(&footer, footer.size());
  PutFixed64(&footer, footer_checksum);
  footer.append(pf::kMagic);
  Status s = st.file.Append(footer);
  uint64_t file_bytes = st.file.offset();
  if (s.ok()) s = st.file.SyncAndClose();
  if (s.ok() && ::rename(tmp_.c_str(), path_.c_str()) != 0) s = Status::FromErrno("rename " + tmp_, errno);
  if (!s.ok()) return fail(s);
  finished_ = true;
  OTELSTACK_RETURN_IF_ERROR(fail(FsyncDir(DirName(path_))));
  if (info != nullptr) {
    info->signal = signal_;
    info->rows = rows_;
    info->min_time = min_time_;
    info->max_time = max_time_;
    info->file_bytes = file_bytes;
  }
  return Status::OK();
}

Status WritePart(const std::string& path, const RowBatch& batch, const PartWriteOptions& options, PartInfo* info) {
  return WritePart(path, batch, options, {}, info);
}

Status WritePart(const std::string& path, const RowBatch& batch, const PartWriteOptions& options,
                 std::span<const part_format::Section> sections, PartInfo* info) {
  if (batch.rows() == 0) return Status::InvalidArgument("write part " + path + ": part must hold at least one row");
  std::unique_ptr<PartWriter> writer;
  OTELSTACK_RETURN_IF_ERROR(PartWriter::Create(path, batch.signal(), options, &writer));
  OTELSTACK_RETURN_IF_ERROR(writer->AddRows(batch));
  return writer->Finish(sections, info);
}

}  // namespace otelstack

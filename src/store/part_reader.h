// PartReader: random access to the granules of one part file (layout in
// part_format.h).
//
// Open() maps the file read-only and verifies only the footer (trailer magic,
// footer checksum, structural invariants); granule data is read on demand
// from the mapping, and every block's checksum is verified before it is
// decoded. Errors name the file, and for block errors the granule and column.
// Part files are immutable and never truncated, so the mapping stays valid
// (also after a merge deletes the file) until the reader is destroyed.
//
// Columns are addressed by their index in the *current* SchemaOf(signal) and
// mapped to the part's stored columns by name: a column the part does not have
// reads as zeros; a stored column whose type differs fails Open.
//
// Thread safety: after Open, all const methods may be called concurrently.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/column_codec.h"
#include "store/dependent_codec.h"
#include "store/part_dictionaries.h"
#include "store/part_format.h"
#include "store/schema/row_batch.h"
#include "store/skip_index/skip_index.h"

namespace otelstack {

// The attribute keys a reader wants from an attribute-map column (a kvlist
// per row): see PartReader::ReadGranule.
struct ColumnKeys {
  size_t column;
  std::vector<std::string> keys;
};

class PartReader {
 public:
  static Status Open(const std::string& path, std::unique_ptr<PartReader>* out);
  ~PartReader();
  PartReader(const PartReader&) = delete;
  PartReader& operator=(const PartReader&) = delete;

  const std::string& path() const { return path_; }
  const PartInfo& info() const { return info_; }
  size_t granule_count() const { return granules_.size(); }
  const GranuleInfo& granule(size_t i) const { return granules_[i]; }
  // Compressed bytes of (current schema) column `col` over all granules; 0
  // for a column the part does not store. For size reports.
  uint64_t ColumnStoredBytes(size_t col) const;
  // The footer section of `kind`, or nullopt when the part has none.
  std::optional<std::string_view> section(uint32_t kind) const;
  // The part's skip indexes (no pruning for indexes the part lacks).
  const SkipIndex& skip_index() const { return skip_index_; }

  // Decodes the requested columns of granule i into *out, which becomes a
  // batch of the part's signal with rows() == granule(i).rows; columns not
  // requested are left empty and must not be read. With `keep_dictionaries`, bytes columns
  // stored dictionary-encoded come in dictionary form
  // (RowBatch::SetColumnDictionary: for queries). A column listed in
  // `key_projections` may come with only the entries of those keys in each
  // row (when its block is stored shredded, column_codec.h
  // DecodeBytesColumnKeys): looking up one of the keys gives the same value
  // as in the whole row, any other key reads as absent. On error *out is
  // unspecified.
  Status ReadGranule(size_t i, std::span<const size_t> columns, RowBatch* out, bool keep_dictionaries = false,
                     std::span<const ColumnKeys> key_projections = {}) const;
  // Rows `selected` (a row selection of granule i, column_codec.h) of
  // column `col`, as *out's rows 0, 1, ... (*out holds only that column).
  // For a gather of a search's few hits in a granule: attribute maps and
  // bodies are rebuilt for those rows only. On error *out is unspecified.
  Status ReadGranuleRows(size_t i, size_t col, std::span<const uint32_t> selected, RowBatch* out) const;
  // Whether granule i's block of column `col` is a shredded attribute map
  // (column_codec.h IsShreddedEncoding), which ReadGranuleMapFields reads.
  bool StoresShredded(size_t i, size_t col) const;
  // Granule i's attribute-map column `col` taken apart by field: those whose
  // value tag `keep` accepts (column_codec.h DecodeKvShreddedFields), for
  // predicates on attribute values. REQUIRES: StoresShredded(i, col).
  Status ReadGranuleMapFields(size_t i, size_t col, const std::function<bool(anyvalue::Tag)>& keep,
                              MapFields* out) const;
  // Every column of every granule, in granule order (tools and tests).
  Status ReadAll(RowBatch* out) const;

  // ---- Stored form, for merges that copy granules without decoding ------
  // True when the part stores exactly the current schema's columns, in its
  // order (false for parts written before a schema change).
  bool StoresCurrentSchema() const;
  // Where granule g's block of (current schema) column `col` is, and its
  // stored bytes (still compressed; the checksum is not verified here).
  Status StoredBlock(size_t g, size_t col, part_format::BlockEntry* entry, std::string_view* bytes) const;
  // The part dictionary `id` that stored blocks refer to (part_format.h).
  Status Dictionary(uint64_t id, std::shared_ptr<const ZstdDictionary>* out) const {
    return dictionaries_.Get(id, out);
  }
  // Tells the kernel that granule g's mapped pages (blocks and filters) are
  // not needed any more, so that a merge reading whole parts does not keep
  // them resident. Harmless: touched again, they are read from the file.
  void ReleaseGranulePages(size_t g) const;

 private:
  explicit PartReader(std::string path) : path_(std::move(path)) {}
  Status LoadFooter();
  Status ParseFooter(std::string_view footer, uint64_t footer_start);
  // The bytes [offset, offset + size) of the file; Corruption past its end.
  Status View(uint64_t offset, uint64_t size, std::string_view* out) const;
  // Block `b`'s raw bytes: its checksum verified, then decompressed (into
  // *scratch when it was compressed); *dictionary is the part dictionary its
  // zstd frames or streams refer to (null: none).
  Status RawBlock(const part_format::BlockEntry& b, std::string* scratch, std::string_view* raw,
                  std::shared_ptr<const ZstdDictionary>* dictionary) const;
  // `s` with the part, granule and column it is about.
  Status WithBlockContext(const Status& s, size_t g, size_t col) const;
  // The (current schema) column that granule g's block `raw` of column col,
  // of an encoding that refers to a column, refers to: another bytes column
  // whose own block does not refer to one, or is stored before col.
  Status ReferencedColumn(size_t g, size_t col, std::string_view raw, size_t* ref) const;
  // The classes of granule g's rows by the column that the kBytesDependent,
  // kBytesConditional, kFixedDependent or kBytesRecentByClass block `raw` of
  // column col refers to.
  Status ReferenceClasses(size_t g, size_t col, std::string_view raw, std::shared_ptr<const RowClasses>* classes) const;
  // Decodes granule g's kBytesDependent, kBytesConditional,
  // kFixedDependent or kBytesRecentByClass block `raw` of column col (into
  // *fixed for a fixed column, else as DecodeBlock), classifying the column
  // it refers to first.
  Status DecodeDependentBlock(size_t g, size_t col, ColumnEncoding encoding, std::string_view raw,
                              std::vector<uint64_t>* fixed, std::vector<uint32_t>* ends, std::string* data,
                              std::vector<uint32_t>* codes) const;
  // Decodes granule g's kBytesRowRef block `raw` of column col, decoding
  // the column it references first.
  Status DecodeRowRefBlock(size_t g, size_t col, std::string_view raw, std::vector<uint32_t>* ends,
                           std::string* data) const;
  // Appends granule g's values of (current schema) column `col` to the
  // output vectors matching the column's kind; `codes` (may be null) gets a
  // bytes column's dictionary codes when its block has them.
  // `keys` (may be null): decode only these keys' entries when the block is
  // shredded (see ReadGranule). `selected` (may be null; bytes columns
  // only, and then neither codes nor keys): append only these rows' values
  // (see ReadGranuleRows).
  Status DecodeBlock(size_t g, size_t col, std::vector<uint64_t>* fixed, std::vector<uint32_t>* ends, std::string* data,
                     std::vector<uint32_t>* codes = nullptr, const std::vector<std::string_view>* keys = nullptr,
                     const std::span<const uint32_t>* selected = nullptr) const;

  // The classes ReferenceClasses computed last, by (granule, referenced
  // column): a granule's dependent columns mostly refer to one column
  // (ServiceName), and a search's gather decodes them one at a time, each of
  // which would decode and classify that column again. Shared by the
  // threads that read the part.
  class ClassesCache {
   public:
    std::shared_ptr<const RowClasses> Find(size_t g, size_t col) const;
    void Add(size_t g, size_t col, std::shared_ptr<const RowClasses> classes);

   private:
    struct Entry {
      size_t granule, column;
      std::shared_ptr<const RowClasses> classes;
    };
    static constexpr size_t kCapacity = 4;  // ~33 KiB each for a full granule
    mutable std::mutex mu_;
    std::vector<Entry> entries_;  // most recently added last
  };

  std::string path_;
  const char* map_ = nullptr;  // the whole file, mmap'ed read-only
  uint64_t file_size_ = 0;
  uint64_t body_end_ = 0;  // where the footer starts
  PartInfo info_;
  std::vector<GranuleInfo> granules_;
  size_t stored_columns_ = 0;
  std::vector<part_format::BlockEntry> blocks_;                  // granule-major: [g * stored_columns_ + stored column]
  std::vector<int> stored_column_of_;                            // current schema column -> stored column, or -1
  std::vector<std::pair<uint32_t, std::string_view>> sections_;  // views into the mapping
  SkipIndex skip_index_;
  PartDictionaryReader dictionaries_;
  mutable ClassesCache classes_cache_;
};

}  // namespace otelstack

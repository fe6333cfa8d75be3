// The part dictionaries of one part (store/zstd_dictionary.h): which ones a
// part being written makes and keeps (PartDictionaryWriter), and the ones an
// open part holds (PartDictionaryReader). Layout: part_format.h,
// kDictionarySection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/part_format.h"
#include "store/zstd_dictionary.h"

namespace otelstack {

// A part writer's dictionaries: at most one of its own per column, made from
// what the column's first encoded granule compressed well, and those that
// blocks copied from other parts refer to.
class PartDictionaryWriter {
 public:
  explicit PartDictionaryWriter(size_t columns) : own_(columns) {}

  // The dictionary column c's blocks are compressed with: null until Make.
  const ZstdDictionary* Of(size_t c) const { return own_[c].get(); }
  // Makes column c's dictionary from `recorded` (a granule's well
  // compressing streams) unless c has one or `recorded` is too small to
  // help.
  void Make(size_t c, std::string_view recorded);
  // Notes that a block refers to column c's dictionary, so the footer keeps it.
  void Use(size_t c);
  // Notes that a copied block refers to `d`.
  void Keep(std::shared_ptr<const ZstdDictionary> d);
  // Whether any block refers to a dictionary; then Section is due.
  bool any_used() const { return !used_.empty(); }
  // The kDictionarySection of the dictionaries blocks refer to.
  Status Section(int zstd_level, part_format::Section* out) const;

  // Below this, a recorded granule's streams make no dictionary: the id
  // every block would carry costs more than they save.
  static constexpr size_t kMinContentBytes = 512;

 private:
  std::vector<std::shared_ptr<const ZstdDictionary>> own_;
  std::map<uint64_t, std::shared_ptr<const ZstdDictionary>> used_;  // by id
};

// The dictionaries of an open part, loaded (verified, decompressed) on first
// use. Thread-safe after Parse.
class PartDictionaryReader {
 public:
  // Parses the section, which must outlive this object (a view into the
  // part's mapping). Dictionaries are verified when first loaded.
  Status Parse(std::string_view section);
  // The dictionary `id`, or Corruption when the part has none such or it is
  // damaged.
  Status Get(uint64_t id, std::shared_ptr<const ZstdDictionary>* out) const;

 private:
  struct Entry {
    uint64_t raw_size = 0;
    uint64_t checksum = 0;
    std::string_view stored;
    mutable std::once_flag once;
    mutable std::shared_ptr<const ZstdDictionary> loaded;  // null when damaged
  };
  std::map<uint64_t, std::unique_ptr<Entry>> entries_;  // by id
};

// The id a block that refers to a dictionary starts with, and the rest.
Status SplitDictionaryId(std::string_view stored, uint64_t* id, std::string_view* rest);

}  // namespace otelstack

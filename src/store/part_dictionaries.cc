#include "store/part_dictionaries.h"

#include <xxhash.h>

#include "common/varint.h"
#include "store/column_codec.h"

namespace otelstack {

namespace pf = part_format;

void PartDictionaryWriter::Make(size_t c, std::string_view recorded) {
  if (own_[c] != nullptr || recorded.size() < kMinContentBytes) return;
  // A leading zero byte keeps zstd from reading the content as a formatted
  // dictionary (zstd_dictionary.cc).
  std::string content(1, '\0');
  content.append(recorded.substr(0, kMaxZstdDictionaryBytes - 1));
  own_[c] = std::make_shared<const ZstdDictionary>(std::move(content));
}

void PartDictionaryWriter::Use(size_t c) { Keep(own_[c]); }

void PartDictionaryWriter::Keep(std::shared_ptr<const ZstdDictionary> d) {
  const uint64_t id = d->id();
  used_.emplace(id, std::move(d));
}

Status PartDictionaryWriter::Section(int zstd_level, pf::Section* out) const {
  out->kind = pf::kDictionarySection;
  out->bytes.clear();
  PutVarint64(&out->bytes, used_.size());
  std::string stored;
  for (const auto& [id, d] : used_) {
    pf::BlockCompression compression;
    OTELSTACK_RETURN_IF_ERROR(CompressBlock(d->content(), zstd_level, &stored, &compression));
    PutFixed64(&out->bytes, id);
    PutVarint64(&out->bytes, d->content().size());
    PutVarint64(&out->bytes, stored.size());
    PutFixed64(&out->bytes, XXH3_64bits(stored.data(), stored.size()));
    out->bytes.append(stored);
  }
  return Status::OK();
}

Status PartDictionaryReader::Parse(std::string_view in) {
  auto bad = [](const std::string& why) { return Status::Corruption("dictionary section: " + why); };
  uint64_t count;
  if (!GetVarint64(&in, &count) || count > in.size()) return bad("bad count");
  for (uint64_t i = 0; i < count; ++i) {
    auto entry = std::make_unique<Entry>();
    uint64_t stored_size;
    if (in.size() < 8) return bad("truncated");
    const uint64_t id = DecodeFixed64(in.data());
    in.remove_prefix(8);
    if (!GetVarint64(&in, &entry->raw_size) || !GetVarint64(&in, &stored_size) || in.size() < 8) {
      return bad("truncated");
    }
    entry->checksum = DecodeFixed64(in.data());
    in.remove_prefix(8);
    if (stored_size > in.size() || stored_size > entry->raw_size || entry->raw_size > kMaxZstdDictionaryBytes ||
        entry->raw_size == 0) {
      return bad("bad sizes");
    }
    entry->stored = in.substr(0, stored_size);
    in.remove_prefix(stored_size);
    if (!entries_.emplace(id, std::move(entry)).second) return bad("duplicate id");
  }
  if (!in.empty()) return bad("trailing bytes");
  return Status::OK();
}

Status PartDictionaryReader::Get(uint64_t id, std::shared_ptr<const ZstdDictionary>* out) const {
  auto it = entries_.find(id);
  if (it == entries_.end()) return Status::Corruption("block refers to a dictionary the part does not hold");
  const Entry& e = *it->second;
  std::call_once(e.once, [&] {
    if (XXH3_64bits(e.stored.data(), e.stored.size()) != e.checksum) return;
    std::string scratch;
    std::string_view content;
    const auto compression = e.stored.size() < e.raw_size ? pf::BlockCompression::kZstd : pf::BlockCompression::kNone;
    if (!DecompressBlock(compression, e.stored, e.raw_size, &scratch, &content).ok()) return;
    if (ZstdDictionary::IdOf(content) != id || content[0] != '\0') return;
    e.loaded = std::make_shared<const ZstdDictionary>(std::string(content));
  });
  if (e.loaded == nullptr) return Status::Corruption("damaged dictionary");
  *out = e.loaded;
  return Status::OK();
}

Status SplitDictionaryId(std::string_view stored, uint64_t* id, std::string_view* rest) {
  if (stored.size() < pf::kDictionaryIdBytes) return Status::Corruption("block too short for its dictionary id");
  *id = DecodeFixed64(stored.data());
  *rest = stored.substr(pf::kDictionaryIdBytes);
  return Status::OK();
}

}  // namespace otelstack

#include "store/part_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <set>
#include <vector>

#include "common/varint.h"
#include "store/column_codec.h"

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

Status SyncDirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open directory " + dir, errno);
  Status s;
  if (::fsync(fd) != 0) s = Status::FromErrno("fsync directory " + dir, errno);
  ::close(fd);
  return s;
}

Status CheckInput(const RowBatch& batch, const PartWriteOptions& options, std::span<const pf::Section> sections) {
  if (batch.rows() == 0) return Status::InvalidArgument("part must hold at least one row");
  if (options.granule_rows == 0) return Status::InvalidArgument("granule_rows must be positive");
  for (size_t r = 1; r < batch.rows(); ++r) {
    if (batch.Time(r) < batch.Time(r - 1)) {
      return Status::InvalidArgument("rows are not sorted by time at row " + std::to_string(r));
    }
  }
  std::set<uint32_t> kinds;
  for (const pf::Section& s : sections) {
    if (s.kind == 0 || !kinds.insert(s.kind).second) {
      return Status::InvalidArgument("bad or duplicate footer section kind " + std::to_string(s.kind));
    }
  }
  return Status::OK();
}

struct GranuleEntry {
  uint64_t rows, min_time, max_time;
  std::vector<pf::BlockEntry> blocks;  // one per column
};

// Encodes rows [first, first + rows) of every column, appending the blocks to
// *out and their entries (offsets from `base`, the file offset of *out) to *g.
Status EncodeGranule(const RowBatch& batch, size_t first, size_t rows, int zstd_level, uint64_t base, std::string* out,
                     GranuleEntry* g) {
  auto schema = SchemaOf(batch.signal());
  std::string raw, stored;
  g->rows = rows;
  g->min_time = batch.Time(first);
  g->max_time = batch.Time(first + rows - 1);
  g->blocks.resize(schema.size());
  for (size_t c = 0; c < schema.size(); ++c) {
    ColumnEncoding encoding;
    if (IsFixed(schema[c].type)) {
      encoding = EncodeFixedColumn(batch.FixedColumn(c).subspan(first, rows), &raw);
    } else {
      BytesColumnView view;
      view.ends = batch.BytesEnds(c).subspan(first, rows);
      view.begin = first == 0 ? 0 : batch.BytesEnds(c)[first - 1];
      view.data = batch.BytesData(c).data();
      encoding = EncodeBytesColumn(view, &raw);
    }
    pf::BlockEntry& b = g->blocks[c];
    pf::BlockCompression compression;
    OTELSTACK_RETURN_IF_ERROR(CompressBlock(raw, zstd_level, &stored, &compression));
    b.offset = base + out->size();
    b.stored_size = stored.size();
    b.raw_size = raw.size();
    b.encoding = static_cast<uint8_t>(encoding);
    b.compression = static_cast<uint8_t>(compression);
    b.checksum = XXH3_64bits(stored.data(), stored.size());
    out->append(stored);
  }
  return Status::OK();
}

std::string EncodeFooter(const RowBatch& batch, const std::vector<GranuleEntry>& granules,
                         std::span<const pf::Section> sections) {
  std::string f;
  f.push_back(static_cast<char>(batch.signal()));
  auto schema = SchemaOf(batch.signal());
  PutVarint64(&f, schema.size());
  for (const ColumnDef& def : schema) {
    PutVarint64(&f, def.name.size());
    f.append(def.name);
    f.push_back(static_cast<char>(def.type));
  }
  PutVarint64(&f, batch.rows());
  PutVarint64(&f, batch.Time(0));
  PutVarint64(&f, batch.Time(batch.rows() - 1));
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

Status WriteTmp(const std::string& tmp, const RowBatch& batch, const PartWriteOptions& options,
                std::span<const pf::Section> sections, uint64_t* file_bytes) {
  OutputFile file;
  OTELSTACK_RETURN_IF_ERROR(file.Create(tmp));
  std::string buf(pf::kMagic);
  PutFixed32(&buf, pf::kFormatVersion);
  OTELSTACK_RETURN_IF_ERROR(file.Append(buf));

  std::vector<GranuleEntry> granules;
  for (size_t first = 0; first < batch.rows(); first += options.granule_rows) {
    size_t rows = std::min(options.granule_rows, batch.rows() - first);
    buf.clear();
    granules.emplace_back();
    OTELSTACK_RETURN_IF_ERROR(
        EncodeGranule(batch, first, rows, options.zstd_level, file.offset(), &buf, &granules.back()));
    OTELSTACK_RETURN_IF_ERROR(file.Append(buf));
  }

  buf = EncodeFooter(batch, granules, sections);
  uint64_t footer_checksum = XXH3_64bits(buf.data(), buf.size());
  PutFixed64(&buf, buf.size());
  PutFixed64(&buf, footer_checksum);
  buf.append(pf::kMagic);
  OTELSTACK_RETURN_IF_ERROR(file.Append(buf));
  *file_bytes = file.offset();
  return file.SyncAndClose();
}

}  // namespace

Status WritePart(const std::string& path, const RowBatch& batch, const PartWriteOptions& options, PartInfo* info) {
  return WritePart(path, batch, options, {}, info);
}

Status WritePart(const std::string& path, const RowBatch& batch, const PartWriteOptions& options,
                 std::span<const part_format::Section> sections, PartInfo* info) {
  OTELSTACK_RETURN_IF_ERROR(CheckInput(batch, options, sections).WithContext("write part " + path));
  const std::string tmp = path + ".tmp";
  uint64_t file_bytes = 0;
  Status s = WriteTmp(tmp, batch, options, sections, &file_bytes);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = Status::FromErrno("rename " + tmp, errno);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s.WithContext("write part " + path);
  }
  OTELSTACK_RETURN_IF_ERROR(SyncDirectoryOf(path).WithContext("write part " + path));
  if (info != nullptr) {
    info->signal = batch.signal();
    info->rows = batch.rows();
    info->min_time = batch.Time(0);
    info->max_time = batch.Time(batch.rows() - 1);
    info->file_bytes = file_bytes;
  }
  return Status::OK();
}

}  // namespace otelstack

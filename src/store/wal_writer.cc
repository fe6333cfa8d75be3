#include "store/wal_writer.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include "common/file_util.h"
#include "store/wal_format.h"

namespace otelstack {

namespace {

// Whole blocks, so a long record is written in block-sized chunks. Any
// fragment fits in an empty buffer.
constexpr size_t kBufferSize = 8 * wal::kBlockSize;
static_assert(kBufferSize >= wal::kBlockSize);

// Records from this size up (OTLP requests of hundreds of kilobytes) are
// written straight from the caller's memory with writev(), not copied into
// the buffer first; below it copying costs less than a system call.
constexpr size_t kMinDirectRecordBytes = 64 * 1024;

// Lays out a record of `record_size` bytes from block offset *block_offset:
// calls pad(n) for the n < kRecyclableHeaderSize zero bytes that end a block
// before a fragment would begin in them, and fragment(type, length) for each
// fragment in order; advances *block_offset. Stops at the first error.
template <typename Pad, typename Fragment>
Status LayOutRecord(size_t record_size, size_t* block_offset, Pad&& pad, Fragment&& fragment) {
  size_t left = record_size;
  bool begin = true;
  // An empty record still gets one (empty) kFull fragment.
  do {
    if (wal::kBlockSize - *block_offset < wal::kRecyclableHeaderSize) {
      OTELSTACK_RETURN_IF_ERROR(pad(wal::kBlockSize - *block_offset));
      *block_offset = 0;
    }
    const size_t length = std::min(left, wal::kBlockSize - *block_offset - wal::kRecyclableHeaderSize);
    const bool end = length == left;
    const auto type =
        static_cast<wal::FragmentType>(begin ? (end ? wal::kRecyclableFullType : wal::kRecyclableFirstType)
                                             : (end ? wal::kRecyclableLastType : wal::kRecyclableMiddleType));
    OTELSTACK_RETURN_IF_ERROR(fragment(type, length));
    *block_offset += wal::kRecyclableHeaderSize + length;
    left -= length;
    begin = false;
  } while (left > 0);
  return Status::OK();
}

// Writes the `total` bytes of `pieces` to fd in order, in writev() calls
// of at most IOV_MAX pieces; consumes `pieces`. *written counts the bytes
// that were written, also when it fails (with errno's status).
Status WriteAll(int fd, std::vector<iovec>* pieces, size_t total, uint64_t* written, const std::string& path) {
  size_t first = 0;  // pieces before it are written
  while (total > 0) {
    const size_t count = std::min<size_t>(pieces->size() - first, IOV_MAX);
    const ssize_t n = ::writev(fd, pieces->data() + first, static_cast<int>(count));
    if (n < 0) {
      const int err = errno;
      if (err == EINTR) continue;
      return Status::FromErrno("write wal " + path, err);
    }
    if (n == 0) return Status::IOError("write wal " + path + ": writev returned 0");
    *written += static_cast<uint64_t>(n);
    total -= static_cast<size_t>(n);
    // Skip what was written: whole pieces, then the start of the next.
    for (size_t done = static_cast<size_t>(n); done > 0; ++first) {
      iovec& piece = (*pieces)[first];
      if (done < piece.iov_len) {
        piece.iov_base = static_cast<char*>(piece.iov_base) + done;
        piece.iov_len -= done;
        break;
      }
      done -= piece.iov_len;
    }
  }
  return Status::OK();
}

}  // namespace

Status WalWriter::Create(const std::string& path, uint32_t log_number, std::unique_ptr<WalWriter>* out) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    if (err == EEXIST) return Status::AlreadyExists("create wal " + path + ": file exists");
    return Status::FromErrno("create wal " + path, err);
  }
  Status s = FsyncDir(DirName(path));
  if (!s.ok()) {
    ::close(fd);
    ::unlink(path.c_str());  // best effort: do not leave a segment we never reported
    return s.WithContext("create wal " + path);
  }
  out->reset(new WalWriter(fd, path, log_number));
  return Status::OK();
}

Status WalWriter::Reuse(const std::string& old_path, const std::string& path, uint32_t log_number,
                        std::unique_ptr<WalWriter>* out) {
  if (::rename(old_path.c_str(), path.c_str()) != 0) {
    const int err = errno;
    return Status::FromErrno("reuse wal " + old_path + " as " + path, err);
  }
  // The new name must be durable before any record is acknowledged from it:
  // after a crash the old name would be deleted as a flushed segment.
  OTELSTACK_RETURN_IF_ERROR(FsyncDir(DirName(path)).WithContext("reuse wal " + old_path + " as " + path));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return Status::FromErrno("reuse wal " + path, err);
  }
  out->reset(new WalWriter(fd, path, log_number));
  return Status::OK();
}

std::unique_ptr<WalWriter> WalWriter::WrapFdForTesting(int fd, std::string name, uint32_t log_number) {
  return std::unique_ptr<WalWriter>(new WalWriter(fd, std::move(name), log_number));
}

WalWriter::WalWriter(int fd, std::string path, uint32_t log_number)
    : fd_(fd), path_(std::move(path)), log_number_(log_number), buffer_(new char[kBufferSize]) {}

WalWriter::~WalWriter() {
  if (fd_ >= 0) {
    if (error_.ok()) WriteBuffer();
    ::close(fd_);
  }
}

template <typename Visit>
void WalWriter::RecordCursor::ForEachPiece(size_t n, Visit&& visit) {
  while (n > 0) {
    const std::string_view p = parts[part];
    const size_t take = std::min(n, p.size() - offset);
    if (take > 0) visit(p.data() + offset, take);
    n -= take;
    offset += take;
    if (offset == p.size()) {
      ++part;
      offset = 0;
    }
  }
}

void WalWriter::RecordCursor::CopyTo(char* dst, size_t n) {
  ForEachPiece(n, [&dst](const char* piece, size_t size) {
    std::memcpy(dst, piece, size);
    dst += size;
  });
}

Status WalWriter::AppendParts(std::span<const std::string_view> parts) {
  if (!error_.ok()) return error_;
  size_t record_size = 0;
  for (std::string_view p : parts) record_size += p.size();
  if (record_size > wal::kMaxRecordSize) {
    return Status::InvalidArgument("wal " + path_ + ": record of " + std::to_string(record_size) +
                                   " bytes exceeds the limit of " + std::to_string(wal::kMaxRecordSize));
  }
  RecordCursor data{parts};
  if (record_size >= kMinDirectRecordBytes) {
    return WriteDirect(&data, record_size);
  }
  return LayOutRecord(
      record_size, &block_offset_, [this](size_t padding) { return PadBlock(padding); },
      [&](wal::FragmentType type, size_t length) { return EmitFragment(type, &data, length); });
}

Status WalWriter::PadBlock(size_t padding) {
  if (kBufferSize - buffered_ < padding) OTELSTACK_RETURN_IF_ERROR(WriteBuffer());
  std::memset(buffer_.get() + buffered_, 0, padding);
  buffered_ += padding;
  return Status::OK();
}

Status WalWriter::EmitFragment(wal::FragmentType type, RecordCursor* data, size_t length) {
  const size_t needed = wal::kRecyclableHeaderSize + length;  // fits in the block: LayOutRecord checked
  if (kBufferSize - buffered_ < needed) OTELSTACK_RETURN_IF_ERROR(WriteBuffer());
  char* fragment = buffer_.get() + buffered_;
  data->CopyTo(fragment + wal::kRecyclableHeaderSize, length);
  wal::EncodeRecyclableFragmentHeader(fragment, type, log_number_, length);
  buffered_ += needed;
  return Status::OK();
}

Status WalWriter::WriteDirect(RecordCursor* data, size_t record_size) {
  // The file receives, in order: the buffered bytes, then for each fragment
  // any block padding before it, its header and its payload's pieces. The
  // headers and padding are assembled in `headers` (reserved up front: the
  // iovecs point into it); the payload is not copied, and each header's
  // checksum is computed over its pieces as they are listed.
  const size_t fragments = record_size / (wal::kBlockSize - wal::kRecyclableHeaderSize) + 2;
  std::string headers;
  headers.reserve(fragments * 2 * wal::kRecyclableHeaderSize);
  std::vector<iovec> pieces;
  pieces.reserve(1 + 3 * fragments);  // may grow (pieces of many parts): iovecs point into `headers`, not here
  if (buffered_ > 0) pieces.push_back({buffer_.get(), buffered_});
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> hash(XXH3_createState(), &XXH3_freeState);
  if (hash == nullptr) return Status::Internal("wal " + path_ + ": cannot allocate a hash state");
  auto add_header_bytes = [&](size_t n) {
    const size_t at = headers.size();
    headers.resize(at + n, '\0');  // within the reservation: earlier iovecs stay valid
    pieces.push_back({headers.data() + at, n});
    return headers.data() + at;
  };
  size_t block_offset = block_offset_;
  size_t total = buffered_;
  OTELSTACK_RETURN_IF_ERROR(LayOutRecord(
      record_size, &block_offset,
      [&](size_t padding) {
        if (padding > 0) add_header_bytes(padding);
        total += padding;
        return Status::OK();
      },
      [&](wal::FragmentType type, size_t length) {
        char* header = add_header_bytes(wal::kRecyclableHeaderSize);
        wal::EncodeRecyclableFragmentFields(header, type, log_number_, length);
        XXH3_64bits_reset(hash.get());
        XXH3_64bits_update(hash.get(), header + wal::kChecksumFrom, wal::kRecyclableHeaderSize - wal::kChecksumFrom);
        data->ForEachPiece(length, [&](const char* piece, size_t size) {
          XXH3_64bits_update(hash.get(), piece, size);
          pieces.push_back({const_cast<char*>(piece), size});
        });
        wal::EncodeFixed32(header, static_cast<uint32_t>(XXH3_64bits_digest(hash.get())));
        total += wal::kRecyclableHeaderSize + length;
        return Status::OK();
      }));
  Status written = WriteAll(fd_, &pieces, total, &flushed_size_, path_);
  if (!written.ok()) return Fail(std::move(written));
  buffered_ = 0;
  block_offset_ = block_offset;
  return Status::OK();
}

Status WalWriter::AppendMany(std::span<const std::string_view> records) {
  for (std::string_view record : records) OTELSTACK_RETURN_IF_ERROR(Append(record));
  return Status::OK();
}

Status WalWriter::WriteBuffer() {
  const char* p = buffer_.get();
  size_t left = buffered_;
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      const int err = errno;
      if (err == EINTR) continue;
      return Fail(Status::FromErrno("write wal " + path_, err));
    }
    if (n == 0) return Fail(Status::IOError("write wal " + path_ + ": write returned 0"));
    p += n;
    left -= static_cast<size_t>(n);
    flushed_size_ += static_cast<uint64_t>(n);
  }
  buffered_ = 0;
  return Status::OK();
}

Status WalWriter::Fail(Status status) {
  // Whatever is still buffered is lost; nothing may be written after a gap.
  error_ = std::move(status);
  buffered_ = 0;
  return error_;
}

Status WalWriter::Flush() {
  if (!error_.ok()) return error_;
  return WriteBuffer();
}

Status WalWriter::Sync() {
  if (!error_.ok()) return error_;
  OTELSTACK_RETURN_IF_ERROR(WriteBuffer());
  // After a failed fdatasync the kernel may have dropped the dirty pages, so
  // retrying could falsely succeed: the failure must stay sticky.
  if (::fdatasync(fd_) != 0) {
    const int err = errno;
    return Fail(Status::FromErrno("fdatasync wal " + path_, err));
  }
  return Status::OK();
}

Status WalWriter::Close() {
  if (fd_ < 0) return error_;
  Status s = error_.ok() ? WriteBuffer() : error_;
  if (::close(fd_) != 0 && s.ok()) {
    const int err = errno;
    s = Status::FromErrno("close wal " + path_, err);
  }
  fd_ = -1;
  if (error_.ok()) error_ = Status::FailedPrecondition("wal " + path_ + " is closed");
  return s;
}

}  // namespace otelstack

#include "store/wal_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/file_util.h"
#include "store/wal_format.h"

namespace otelstack {

namespace {

// Whole blocks, so a long record is written in block-sized chunks. Any
// fragment fits in an empty buffer.
constexpr size_t kBufferSize = 8 * wal::kBlockSize;
static_assert(kBufferSize >= wal::kBlockSize);

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

void WalWriter::RecordCursor::CopyTo(char* dst, size_t n) {
  while (n > 0) {
    const std::string_view p = parts[part];
    const size_t take = std::min(n, p.size() - offset);
    std::memcpy(dst, p.data() + offset, take);
    dst += take;
    n -= take;
    offset += take;
    if (offset == p.size()) {
      ++part;
      offset = 0;
    }
  }
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
  size_t left = record_size;
  bool begin = true;
  // An empty record still gets one (empty) kFull fragment.
  do {
    if (wal::kBlockSize - block_offset_ < wal::kRecyclableHeaderSize) OTELSTACK_RETURN_IF_ERROR(FinishBlock());
    const size_t length = std::min(left, wal::kBlockSize - block_offset_ - wal::kRecyclableHeaderSize);
    const bool end = length == left;
    const uint8_t type = begin ? (end ? wal::kRecyclableFullType : wal::kRecyclableFirstType)
                               : (end ? wal::kRecyclableLastType : wal::kRecyclableMiddleType);
    OTELSTACK_RETURN_IF_ERROR(EmitFragment(type, &data, length));
    left -= length;
    begin = false;
  } while (left > 0);
  return Status::OK();
}

Status WalWriter::FinishBlock() {
  const size_t padding = wal::kBlockSize - block_offset_;  // < kRecyclableHeaderSize, maybe 0
  if (kBufferSize - buffered_ < padding) OTELSTACK_RETURN_IF_ERROR(WriteBuffer());
  std::memset(buffer_.get() + buffered_, 0, padding);
  buffered_ += padding;
  block_offset_ = 0;
  return Status::OK();
}

Status WalWriter::EmitFragment(uint8_t type, RecordCursor* data, size_t length) {
  const size_t needed = wal::kRecyclableHeaderSize + length;  // fits in the block: Append() checked
  if (kBufferSize - buffered_ < needed) OTELSTACK_RETURN_IF_ERROR(WriteBuffer());
  char* fragment = buffer_.get() + buffered_;
  data->CopyTo(fragment + wal::kRecyclableHeaderSize, length);
  wal::EncodeRecyclableFragmentHeader(fragment, static_cast<wal::FragmentType>(type), log_number_, length);
  buffered_ += needed;
  block_offset_ += needed;
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

// WalWriter: appends records to a WAL segment file in the recyclable format
// (wal_format.h).
//
// Contract:
//  - Create() makes a new file (it must not exist) and makes its directory
//    entry durable before returning. Reuse() renames an old segment file
//    that this format wrote to the new segment's name, makes that durable,
//    and overwrites the file from its start: its old bytes past what this
//    writer wrote are not part of the new segment (the reader stops there).
//  - Append() copies the record (which may be given in parts, written as
//    their concatenation) into a user-space buffer; data reaches the
//    kernel in large write()s when the buffer fills, on Flush(), Sync() or
//    Close(). A large record (64 KiB or more) is not copied: Append() hands
//    the buffer and the record's fragments, payload read from where the
//    caller holds it, to the kernel at once. Either way nothing is durable
//    until Sync() (write + fdatasync) succeeds.
//  - After any I/O error the writer is failed for good: every later call
//    returns that error and nothing more is written, so the log never has a
//    hole followed by newer data. The caller should abandon the segment and
//    start a new one.
//  - Close() flushes but does not sync. The destructor closes if needed and
//    ignores errors; call Sync() + Close() to learn about them.
//  - Not thread-safe: the caller serializes all calls.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/wal_format.h"

namespace otelstack {

class WalWriter {
 public:
  // Creates `path` with O_CREAT|O_EXCL and mode 0600, then fsyncs its parent
  // directory. AlreadyExists if the file exists. `log_number`: the segment's
  // (wal::LogNumberOf its id).
  static Status Create(const std::string& path, uint32_t log_number, std::unique_ptr<WalWriter>* out);

  // Renames `old_path` (REQUIRES: a segment written in the recyclable format
  // from its start, by a WalWriter, no longer needed) to `path`, fsyncs the
  // directory, and opens it for writing from offset 0, keeping its blocks
  // and cached pages: rewriting them costs the file system less than a new
  // file's. On failure `old_path` may be gone or renamed; the caller removes
  // both names and creates the segment instead.
  static Status Reuse(const std::string& old_path, const std::string& path, uint32_t log_number,
                      std::unique_ptr<WalWriter>* out);

  // Takes ownership of an open, writable fd positioned at offset 0 (of an
  // empty file, or a device such as /dev/full). For fault-injection tests.
  static std::unique_ptr<WalWriter> WrapFdForTesting(int fd, std::string name, uint32_t log_number);

  WalWriter(const WalWriter&) = delete;
  WalWriter& operator=(const WalWriter&) = delete;
  ~WalWriter();

  // Appends one record. InvalidArgument (not sticky, nothing written) if the
  // record is larger than wal::kMaxRecordSize.
  Status Append(std::string_view record) { return AppendParts({&record, 1}); }
  // Appends one record made of `parts` in order (a header and a payload
  // held apart, say), without joining them first.
  Status AppendParts(std::span<const std::string_view> parts);
  // Appends the records in order; stops at the first error.
  Status AppendMany(std::span<const std::string_view> records);

  // Hands all buffered bytes to the kernel (no fsync).
  Status Flush();
  // Flush() + fdatasync(): on success every appended record is durable.
  Status Sync();
  // Flush() and close the file. Later calls return FailedPrecondition.
  Status Close();

  // Logical size of the segment: bytes written or buffered, including block
  // padding. Equals the file size after a successful Flush() of a created
  // (not reused) file.
  uint64_t size() const { return flushed_size_ + buffered_; }
  const std::string& path() const { return path_; }

 private:
  // Reads a record given in parts front to back.
  struct RecordCursor {
    std::span<const std::string_view> parts;
    size_t part = 0;
    size_t offset = 0;  // in parts[part]
    // Copies the next n bytes to dst (REQUIRES: n bytes left).
    void CopyTo(char* dst, size_t n);
    // Calls visit(data, size) for the non-empty pieces of the next n bytes,
    // in order (REQUIRES: n bytes left).
    template <typename Visit>
    void ForEachPiece(size_t n, Visit&& visit);
  };

  WalWriter(int fd, std::string path, uint32_t log_number);

  // Appends `padding` zero bytes, the rest of the current block (fewer than
  // a header's), to the buffer.
  Status PadBlock(size_t padding);
  // Appends one fragment, which fits in the current block, to the buffer
  // (flushing first if the buffer is full).
  Status EmitFragment(wal::FragmentType type, RecordCursor* data, size_t length);
  // Writes the buffered bytes and then the record, its payload from where
  // `data` holds it, without copying it into the buffer.
  Status WriteDirect(RecordCursor* data, size_t record_size);
  Status WriteBuffer();
  Status Fail(Status status);

  int fd_;
  std::string path_;
  uint32_t log_number_;
  std::unique_ptr<char[]> buffer_;
  size_t buffered_ = 0;
  uint64_t flushed_size_ = 0;
  size_t block_offset_ = 0;  // position inside the current block (logical)
  Status error_;             // sticky: first I/O error, or FailedPrecondition after Close
};

}  // namespace otelstack

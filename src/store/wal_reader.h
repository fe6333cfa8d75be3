// WalReader: reads the records of a WAL segment (format: wal_format.h) in the
// order they were appended.
//
// Contract:
//  - ReadRecord() returns each complete, checksum-valid record exactly once
//    and never a partial record. It returns false at the end of the log.
//  - The end of the log is the end of the file, or a zero-filled region that
//    runs to the end of the file (preallocated or never-written space), or,
//    in a segment of the recyclable format, the first fragment of another
//    segment (a reused file's old bytes).
//  - A torn tail (the writer died mid-write: a partial header or fragment, or
//    a record whose last fragment is missing) is also the end of the log:
//    status() stays OK and torn_tail() is true. The torn bytes are not
//    counted as dropped.
//  - Corruption (checksum mismatch, a length that crosses the block end, an
//    unknown fragment type, fragments out of order, zeros followed by data)
//    is skipped: the reader drops the damaged bytes, resumes at the next
//    block where needed, and keeps returning the intact records after it.
//    status() becomes Corruption (first problem found) and dropped_bytes()
//    counts what was skipped. The caller decides whether that is fatal.
//  - In the recyclable format (and before the first intact fragment), a
//    fragment that does not parse is damage only when the next block starts
//    with a fragment of this segment; otherwise it is where the log ends: a
//    reused file's old bytes past the writer's position, or a write torn by
//    a crash, look the same. So a damaged last fragment is not reported.
//  - An I/O error ends reading for good: ReadRecord() returns false and
//    status() is the IOError.
//  - The file may still be growing (another writer appending): the reader
//    sees a prefix, treats a partial last fragment as the current end, and a
//    later ReadRecord() call continues from where it stopped, returning
//    records completed since.
//  - Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace otelstack {

class WalReader {
 public:
  // NotFound if the file does not exist. `log_number`: the segment's
  // (wal::LogNumberOf its id); fragments of other segments end the log.
  static Status Open(const std::string& path, uint32_t log_number, std::unique_ptr<WalReader>* out);

  WalReader(const WalReader&) = delete;
  WalReader& operator=(const WalReader&) = delete;
  ~WalReader();

  // Stores the next record in *record and returns true, or returns false at
  // the (current) end of the log or after an I/O error.
  bool ReadRecord(std::string* record);

  // OK, or the first corruption / the I/O error encountered.
  const Status& status() const { return status_; }
  uint64_t dropped_bytes() const { return dropped_bytes_; }
  // Whether the last ReadRecord() returned false because the file ends
  // inside a record.
  bool torn_tail() const { return torn_tail_; }
  // File offset just past the last fragment of the last returned record (0
  // before the first): the log up to here is intact.
  uint64_t end_of_last_record() const { return end_of_last_record_; }

 private:
  // Results of ReadFragment besides the fragment types of wal_format.h
  // (first-format types: recyclable ones are mapped to them).
  enum : int { kEof = 256, kBadFragment, kIoFailure, kRetry };
  static constexpr uint64_t kNoZeroRun = ~uint64_t{0};
  // The segment's format, known from its first intact fragment.
  enum class Format { kUnknown, kFirst, kRecyclable };

  WalReader(int fd, std::string path, uint32_t log_number);

  // Parses the next fragment of the current block, reading blocks as needed.
  int ReadFragment(std::string_view* payload);
  // What a fragment at pos_ that does not parse (`bytes` to the block's
  // end, for `reason`) means: damage to skip (kBadFragment), the end of the
  // log (kEof), or, once, a block to read again (kRetry).
  int BadFragment(uint64_t bytes, std::string_view reason);
  // The end of the log at pos_: what follows is not this segment's (yet).
  // Drops the buffered rest of the block, so that it is read again if the
  // file is still being written.
  int EndOfLog();
  // 1 when the block after the current one starts with an intact fragment of
  // this segment, 0 when not, -1 after an I/O error.
  int NextBlockStartsThisSegment();
  // Reads the rest of the current block (as much as the file has). False
  // after an I/O error.
  bool FillBlock();
  void NextBlock();
  void ReportCorruption(uint64_t bytes, std::string_view reason);
  void DropPartialRecord(std::string_view reason);

  int fd_;
  std::string path_;
  uint32_t log_number_;
  Format format_ = Format::kUnknown;
  bool reread_block_ = false;  // the current block was read again after a bad fragment
  std::unique_ptr<char[]> block_;
  std::unique_ptr<char[]> next_block_;  // NextBlockStartsThisSegment's buffer, allocated on first use
  uint64_t block_start_ = 0;            // file offset of block_[0]
  size_t block_len_ = 0;                // bytes of the block read so far
  size_t pos_ = 0;                      // next unparsed byte in block_; pos_ <= block_len_

  // Fragments of a record that is not complete yet; kept across an end of
  // file so a growing log can complete it.
  bool in_fragmented_record_ = false;
  std::string scratch_;

  uint64_t zero_run_start_ = kNoZeroRun;  // start of a zero-filled region not yet known to be a tail
  bool partial_fragment_at_eof_ = false;
  bool io_failed_ = false;

  Status status_;
  uint64_t dropped_bytes_ = 0;
  bool torn_tail_ = false;
  uint64_t end_of_last_record_ = 0;
};

}  // namespace otelstack

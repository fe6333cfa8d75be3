#include "store/wal_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "store/wal_format.h"

namespace otelstack {

namespace {

bool AllZero(const char* p, size_t n) {
  return std::all_of(p, p + n, [](char c) { return c == 0; });
}

}  // namespace

Status WalReader::Open(const std::string& path, uint32_t log_number, std::unique_ptr<WalReader>* out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound("open wal " + path + ": no such file");
    return Status::FromErrno("open wal " + path, err);
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  out->reset(new WalReader(fd, path, log_number));
  return Status::OK();
}

WalReader::WalReader(int fd, std::string path, uint32_t log_number)
    : fd_(fd), path_(std::move(path)), log_number_(log_number), block_(new char[wal::kBlockSize]) {}

WalReader::~WalReader() { ::close(fd_); }

bool WalReader::ReadRecord(std::string* record) {
  if (io_failed_) return false;
  torn_tail_ = false;
  while (true) {
    std::string_view fragment;
    const int type = ReadFragment(&fragment);
    switch (type) {
      case wal::kFullType:
        DropPartialRecord("record without its last fragment, followed by a full record");
        record->assign(fragment.data(), fragment.size());
        end_of_last_record_ = block_start_ + pos_;
        return true;

      case wal::kFirstType:
        DropPartialRecord("record without its last fragment, followed by a first fragment");
        scratch_.assign(fragment.data(), fragment.size());
        in_fragmented_record_ = true;
        break;

      case wal::kMiddleType:
      case wal::kLastType:
        if (!in_fragmented_record_) {
          ReportCorruption(fragment.size(), "continuation fragment without a first fragment");
          break;
        }
        if (scratch_.size() + fragment.size() > wal::kMaxRecordSize) {
          scratch_.append(fragment.data(),
                          fragment.size());  // counted as dropped below
          DropPartialRecord("record exceeds the maximum record size");
          break;
        }
        scratch_.append(fragment.data(), fragment.size());
        if (type == wal::kLastType) {
          record->swap(scratch_);
          scratch_.clear();
          in_fragmented_record_ = false;
          end_of_last_record_ = block_start_ + pos_;
          return true;
        }
        break;

      case kBadFragment:
        DropPartialRecord("record interrupted by a corrupt fragment");
        break;

      case kEof:
        // A pending fragmented record stays pending: if the file grows, the
        // next call completes it.
        torn_tail_ = in_fragmented_record_ || partial_fragment_at_eof_;
        return false;

      default:  // kIoFailure
        return false;
    }
  }
}

int WalReader::ReadFragment(std::string_view* payload) {
  partial_fragment_at_eof_ = false;
  while (true) {
    // The writer pads a block's last bytes when a header of its format no
    // longer fits.
    const size_t min_header = format_ == Format::kRecyclable ? wal::kRecyclableHeaderSize : wal::kHeaderSize;
    if (block_len_ - pos_ < min_header) {
      if (block_len_ == wal::kBlockSize) {  // block trailer: zero padding
        NextBlock();
        continue;
      }
      const size_t before = block_len_;
      if (!FillBlock()) return kIoFailure;
      if (block_len_ == before) {  // end of file, maybe inside a header
        partial_fragment_at_eof_ = !AllZero(block_.get() + pos_, block_len_ - pos_);
        return kEof;
      }
      continue;
    }

    const char* header = block_.get() + pos_;
    const size_t length = wal::FragmentLength(header);
    const uint8_t type = wal::FragmentTypeByte(header);

    if (type == wal::kZeroType && length == 0) {
      // The writer never produces this header: it is the start of a
      // zero-filled region, which is fine only if it runs to the end of file.
      if (block_len_ < wal::kBlockSize && !FillBlock()) return kIoFailure;
      if (AllZero(header, block_len_ - pos_)) {
        if (zero_run_start_ == kNoZeroRun) zero_run_start_ = block_start_ + pos_;
        if (block_len_ < wal::kBlockSize) return kEof;
        NextBlock();
        continue;
      }
      const uint64_t start = zero_run_start_ != kNoZeroRun ? zero_run_start_ : block_start_ + pos_;
      zero_run_start_ = kNoZeroRun;
      ReportCorruption(block_start_ + block_len_ - start, "zero-filled region followed by data");
      NextBlock();
      return kBadFragment;
    }
    if (zero_run_start_ != kNoZeroRun) {
      // Whole zero-filled blocks followed by data: the zeros were a hole, not
      // the tail. The fragment here is parsed on the next call.
      ReportCorruption(block_start_ + pos_ - zero_run_start_, "zero-filled region followed by data");
      zero_run_start_ = kNoZeroRun;
      return kBadFragment;
    }

    const bool recyclable = wal::IsRecyclableType(type);
    const size_t header_size = wal::HeaderSizeOf(type);
    if (pos_ + header_size + length > wal::kBlockSize) {
      const int r = BadFragment(block_len_ - pos_, "fragment length crosses the block boundary");
      if (r == kRetry) continue;
      return r;
    }
    if (pos_ + header_size + length > block_len_) {
      // Only possible in the last, partial block: the rest of the fragment
      // is not written yet (growing file) or never will be (torn write).
      const size_t before = block_len_;
      if (!FillBlock()) return kIoFailure;
      if (block_len_ == before) {
        // In a reused file, old bytes may claim a fragment that runs past the
        // end of the file: only a fragment of this segment (as far as its
        // header tells) is torn.
        const bool ours = format_ == Format::kFirst ||
                          (recyclable ? block_len_ - pos_ < header_size || wal::FragmentLogNumber(header) == log_number_
                                      : format_ == Format::kUnknown);
        if (!ours) return EndOfLog();
        partial_fragment_at_eof_ = true;
        return kEof;
      }
      continue;
    }

    if (wal::DecodeFixed32(header) != wal::FragmentChecksum(header, header_size, length)) {
      // The length may be the corrupt part, so nothing after this header in
      // the block can be trusted to be a fragment boundary.
      const int r = BadFragment(block_len_ - pos_, "checksum mismatch");
      if (r == kRetry) continue;
      return r;
    }
    if (type == wal::kZeroType || type > wal::kMaxFragmentType || (recyclable && format_ == Format::kFirst)) {
      pos_ += header_size + length;
      ReportCorruption(header_size + length, "unknown fragment type " + std::to_string(type));
      return kBadFragment;
    }
    // An intact fragment: of this segment, or the old bytes of a reused file
    // (another segment's number, or the first format after recyclable
    // fragments, which no writer produces).
    if (recyclable ? wal::FragmentLogNumber(header) != log_number_ : format_ == Format::kRecyclable) {
      return EndOfLog();
    }
    format_ = recyclable ? Format::kRecyclable : Format::kFirst;
    reread_block_ = false;
    pos_ += header_size + length;
    *payload = std::string_view(header + header_size, length);
    return recyclable ? type - wal::kRecyclableTypeOffset : type;
  }
}

int WalReader::BadFragment(uint64_t bytes, std::string_view reason) {
  if (format_ != Format::kFirst) {
    const int next = NextBlockStartsThisSegment();
    if (next < 0) return kIoFailure;
    if (next == 0) return EndOfLog();
    if (!reread_block_) {
      // The writer may have finished this block since it was read (it wrote
      // the next one after it): read it again before calling it damage.
      reread_block_ = true;
      block_len_ = pos_;
      return kRetry;
    }
  }
  ReportCorruption(bytes, reason);
  NextBlock();
  return kBadFragment;
}

int WalReader::EndOfLog() {
  block_len_ = pos_;
  return kEof;
}

int WalReader::NextBlockStartsThisSegment() {
  if (!next_block_) next_block_.reset(new char[wal::kBlockSize]);
  const uint64_t offset = block_start_ + wal::kBlockSize;
  size_t n = 0;
  while (n < wal::kBlockSize) {
    const ssize_t r = ::pread(fd_, next_block_.get() + n, wal::kBlockSize - n, static_cast<off_t>(offset + n));
    if (r < 0) {
      const int err = errno;
      if (err == EINTR) continue;
      io_failed_ = true;
      status_ = Status::FromErrno("read wal " + path_ + " at offset " + std::to_string(offset + n), err);
      return -1;
    }
    if (r == 0) break;
    n += static_cast<size_t>(r);
  }
  const char* header = next_block_.get();
  if (n < wal::kHeaderSize) return 0;
  const size_t length = wal::FragmentLength(header);
  const uint8_t type = wal::FragmentTypeByte(header);
  const bool recyclable = wal::IsRecyclableType(type);
  // Before any intact fragment the format is not known: a first-format
  // fragment counts too (a segment of an earlier version, damaged at its
  // start).
  if (!recyclable && (format_ != Format::kUnknown || type == wal::kZeroType || type > wal::kLastType)) return 0;
  const size_t header_size = wal::HeaderSizeOf(type);
  if (header_size + length > n) return 0;
  if (wal::DecodeFixed32(header) != wal::FragmentChecksum(header, header_size, length)) return 0;
  return !recyclable || wal::FragmentLogNumber(header) == log_number_ ? 1 : 0;
}

bool WalReader::FillBlock() {
  while (block_len_ < wal::kBlockSize) {
    const ssize_t n = ::pread(fd_, block_.get() + block_len_, wal::kBlockSize - block_len_,
                              static_cast<off_t>(block_start_ + block_len_));
    if (n < 0) {
      const int err = errno;
      if (err == EINTR) continue;
      io_failed_ = true;
      status_ = Status::FromErrno("read wal " + path_ + " at offset " + std::to_string(block_start_ + block_len_), err);
      return false;
    }
    if (n == 0) break;
    block_len_ += static_cast<size_t>(n);
  }
  return true;
}

void WalReader::NextBlock() {
  block_start_ += wal::kBlockSize;
  block_len_ = 0;
  pos_ = 0;
  reread_block_ = false;
}

void WalReader::ReportCorruption(uint64_t bytes, std::string_view reason) {
  dropped_bytes_ += bytes;
  if (status_.ok()) {
    status_ = Status::Corruption("wal " + path_ + " near offset " + std::to_string(block_start_ + pos_) + ": " +
                                 std::string(reason) + " (" + std::to_string(bytes) + " bytes dropped)");
  }
}

void WalReader::DropPartialRecord(std::string_view reason) {
  if (!in_fragmented_record_) return;
  ReportCorruption(scratch_.size(), reason);
  scratch_.clear();
  in_fragmented_record_ = false;
}

}  // namespace otelstack

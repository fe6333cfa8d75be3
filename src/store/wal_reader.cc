#include "store/wal_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "store/wal_format.h"

namespace otelstack {

namespace {

bool AllZero(const char *p, size_t n) {
  return std::all_of(p, p + n, [](char c) { return c == 0; });
}

}  // namespace

Status WalReader::Open(const std::string &path, std::unique_ptr<WalReader> *out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound("open wal " + path + ": no such file");
    return Status::FromErrno("open wal " + path, err);
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  out->reset(new WalReader(fd, path));
  return Status::OK();
}

WalReader::WalReader(int fd, std::string path) : fd_(fd), path_(std::move(path)), block_(new char[wal::kBlockSize]) {}

WalReader::~WalReader() { ::close(fd_); }

bool WalReader::ReadRecord(std::string *record) {
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

int WalReader::ReadFragment(std::string_view *payload) {
  partial_fragment_at_eof_ = false;
  while (true) {
    if (block_len_ - pos_ < wal::kHeaderSize) {
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

    const char *header = block_.get() + pos_;
    const size_t length = static_cast<size_t>(static_cast<unsigned char>(header[4])) |
                          static_cast<size_t>(static_cast<unsigned char>(header[5])) << 8;
    const uint8_t type = static_cast<uint8_t>(header[6]);

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

    if (pos_ + wal::kHeaderSize + length > wal::kBlockSize) {
      ReportCorruption(block_len_ - pos_, "fragment length crosses the block boundary");
      NextBlock();
      return kBadFragment;
    }
    if (pos_ + wal::kHeaderSize + length > block_len_) {
      // Only possible in the last, partial block: the rest of the fragment
      // is not written yet (growing file) or never will be (torn write).
      const size_t before = block_len_;
      if (!FillBlock()) return kIoFailure;
      if (block_len_ == before) {
        partial_fragment_at_eof_ = true;
        return kEof;
      }
      continue;
    }

    if (wal::DecodeFixed32(header) != wal::FragmentChecksum(header + 6, length)) {
      // The length may be the corrupt part, so nothing after this header in
      // the block can be trusted to be a fragment boundary.
      ReportCorruption(block_len_ - pos_, "checksum mismatch");
      NextBlock();
      return kBadFragment;
    }
    pos_ += wal::kHeaderSize + length;
    if (type == wal::kZeroType || type > wal::kMaxFragmentType) {
      ReportCorruption(wal::kHeaderSize + length, "unknown fragment type " + std::to_string(type));
      return kBadFragment;
    }
    *payload = std::string_view(header + wal::kHeaderSize, length);
    return type;
  }
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

// ProtoWriter: a minimal protobuf wire-format encoder for the load generator.
//
// Builds one message into a byte string, field by field, in the order the
// caller writes them. Nested messages are built in their own ProtoWriter and
// appended with Message(), which writes the canonical (shortest) length prefix.
//
// Marks: a writer can remember where certain fixed-size payloads start
// (timestamps, trace ids, span ids), so a finished request body can be
// patched in place later without re-encoding (see synth_data.h). Marks of a
// child message are rebased onto the parent when the child is appended, so
// the marks of the outermost writer are absolute offsets into its bytes().
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/varint.h"

namespace otelstack::bench {

enum class MarkKind : uint8_t {
  kTime = 0,     // 8-byte little-endian fixed64 nanoseconds
  kTraceId = 1,  // 16 bytes
  kSpanId = 2,   // 8 bytes
};

struct Mark {
  uint32_t offset;
  MarkKind kind;
};

class ProtoWriter {
 public:
  enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

  void Varint(uint32_t field, uint64_t v) {
    Tag(field, kVarint);
    PutVarint64(&buf_, v);
  }
  void Bool(uint32_t field, bool v) { Varint(field, v ? 1 : 0); }
  void Int64(uint32_t field, int64_t v) { Varint(field, static_cast<uint64_t>(v)); }

  void Fixed64(uint32_t field, uint64_t v) {
    Tag(field, kFixed64);
    PutFixed64(&buf_, v);
  }
  void Fixed32(uint32_t field, uint32_t v) {
    Tag(field, kFixed32);
    PutFixed32(&buf_, v);
  }
  void Double(uint32_t field, double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof(bits));
    Fixed64(field, bits);
  }
  // A fixed64 timestamp whose position is remembered as a kTime mark.
  void Time(uint32_t field, uint64_t unix_nanos) {
    Tag(field, kFixed64);
    marks_.push_back({static_cast<uint32_t>(buf_.size()), MarkKind::kTime});
    PutFixed64(&buf_, unix_nanos);
  }

  void Bytes(uint32_t field, std::string_view v) {
    Tag(field, kLengthDelimited);
    PutVarint64(&buf_, v.size());
    buf_.append(v);
  }
  void String(uint32_t field, std::string_view v) { Bytes(field, v); }
  // Bytes whose position is remembered; `kind` must match v.size() (16 or 8).
  void Id(uint32_t field, std::string_view v, MarkKind kind) {
    Tag(field, kLengthDelimited);
    PutVarint64(&buf_, v.size());
    marks_.push_back({static_cast<uint32_t>(buf_.size()), kind});
    buf_.append(v);
  }

  void Message(uint32_t field, const ProtoWriter& child) {
    Tag(field, kLengthDelimited);
    PutVarint64(&buf_, child.buf_.size());
    uint32_t base = static_cast<uint32_t>(buf_.size());
    for (const Mark& m : child.marks_) marks_.push_back({m.offset + base, m.kind});
    buf_.append(child.buf_);
  }

  // Appends the fields of `other` as fields of this message (protobuf
  // messages concatenate: repeated fields accumulate).
  void Append(const ProtoWriter& other) {
    uint32_t base = static_cast<uint32_t>(buf_.size());
    for (const Mark& m : other.marks_) marks_.push_back({m.offset + base, m.kind});
    buf_.append(other.buf_);
  }

  const std::string& bytes() const { return buf_; }
  const std::vector<Mark>& marks() const { return marks_; }
  size_t size() const { return buf_.size(); }
  void Clear() {
    buf_.clear();
    marks_.clear();
  }

 private:
  void Tag(uint32_t field, WireType type) { PutVarint64(&buf_, (static_cast<uint64_t>(field) << 3) | type); }

  std::string buf_;
  std::vector<Mark> marks_;
};

}  // namespace otelstack::bench

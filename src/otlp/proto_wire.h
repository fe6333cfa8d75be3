// A protocol-buffers wire-format reader (decoding only).
//
// Reader walks the fields of one serialized message: each Next() yields the
// field number, wire type and payload (a varint, fixed32/fixed64 bits, or a
// view of a length-delimited payload). Nothing is copied or allocated; views
// point into the input, which must outlive them.
//
// Contract: Next() returns false at the end of the message and on malformed
// input (truncated varint, length past the end, field number 0, reserved wire
// types, unbalanced groups); error() is nullptr only after a clean end. After
// an error the reader stays at the end. Groups (deprecated, never used by
// OTLP) are validated and yielded whole so that callers can skip them like any
// other unknown field.
#pragma once

#include <bit>
#include <cstdint>
#include <string_view>

#include "common/varint.h"

namespace otelstack::otlp::wire {

enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLen = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

struct Field {
  uint32_t number = 0;
  WireType type = WireType::kVarint;
  uint64_t value = 0;      // kVarint, kFixed64, kFixed32 (zero-extended)
  std::string_view bytes;  // kLen: the payload; kStartGroup: the group's contents
};

// Deepest nesting of groups accepted before the input counts as malformed.
inline constexpr int kMaxGroupDepth = 32;

class Reader {
 public:
  explicit Reader(std::string_view message) : rest_(message) {}

  bool Next(Field* f) {
    if (rest_.empty()) return false;
    uint64_t tag;
    if (!GetVarint64(&rest_, &tag) || tag > 0xffffffffu) return Fail("bad field tag");
    f->number = static_cast<uint32_t>(tag >> 3);
    f->type = static_cast<WireType>(tag & 7);
    if (f->number == 0) return Fail("field number 0");
    return ReadPayload(f, 0);
  }

  // Why the last Next() returned false, or nullptr at a clean end.
  const char* error() const { return error_; }

 private:
  bool ReadPayload(Field* f, int group_depth) {
    switch (f->type) {
      case WireType::kVarint:
        if (!GetVarint64(&rest_, &f->value)) return Fail("truncated varint");
        return true;
      case WireType::kFixed64:
        if (rest_.size() < 8) return Fail("truncated fixed64");
        f->value = DecodeFixed64(rest_.data());
        rest_.remove_prefix(8);
        return true;
      case WireType::kFixed32:
        if (rest_.size() < 4) return Fail("truncated fixed32");
        f->value = DecodeFixed32(rest_.data());
        rest_.remove_prefix(4);
        return true;
      case WireType::kLen: {
        uint64_t len;
        if (!GetVarint64(&rest_, &len)) return Fail("truncated length");
        if (len > rest_.size()) return Fail("length-delimited field runs past the end");
        f->bytes = rest_.substr(0, len);
        rest_.remove_prefix(len);
        return true;
      }
      case WireType::kStartGroup:
        return ReadGroup(f->number, group_depth + 1, &f->bytes);
      case WireType::kEndGroup:
        return Fail("unexpected end-group");
    }
    return Fail("invalid wire type");
  }

  // Reads past the contents and end tag of group `number` whose start tag was
  // just consumed.
  bool ReadGroup(uint32_t number, int depth, std::string_view* contents) {
    if (depth > kMaxGroupDepth) return Fail("groups nested too deeply");
    const char* begin = rest_.data();
    for (;;) {
      if (rest_.empty()) return Fail("truncated group");
      const char* field_begin = rest_.data();
      uint64_t tag;
      if (!GetVarint64(&rest_, &tag) || tag > 0xffffffffu) return Fail("bad field tag");
      Field inner;
      inner.number = static_cast<uint32_t>(tag >> 3);
      inner.type = static_cast<WireType>(tag & 7);
      if (inner.number == 0) return Fail("field number 0");
      if (inner.type == WireType::kEndGroup) {
        if (inner.number != number) return Fail("mismatched end-group");
        *contents = std::string_view(begin, field_begin - begin);
        return true;
      }
      if (!ReadPayload(&inner, depth)) return false;
    }
  }

  bool Fail(const char* why) {
    error_ = why;
    rest_ = std::string_view();
    return false;
  }

  std::string_view rest_;
  const char* error_ = nullptr;
};

// Typed views of a field's payload (REQUIRE: the matching wire type).
inline double DoubleOf(const Field& f) { return std::bit_cast<double>(f.value); }
inline int64_t Int64Of(const Field& f) { return static_cast<int64_t>(f.value); }
inline int32_t Int32Of(const Field& f) { return static_cast<int32_t>(f.value); }  // int32, enums
inline uint32_t Uint32Of(const Field& f) { return static_cast<uint32_t>(f.value); }
inline int32_t Sint32Of(const Field& f) { return static_cast<int32_t>(ZigZagDecode(f.value)); }

}  // namespace otelstack::otlp::wire

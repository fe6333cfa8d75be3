// The stored encoding of an OTLP AnyValue (and of attribute lists, span
// events and links, exemplars...): a compact, self-describing byte string.
//
//   value   := tag:u8 payload
//   kEmpty  : (nothing)
//   kString : varint length, bytes (UTF-8 as received)
//   kBool   : u8 (0 or 1)
//   kInt    : varint zigzag(int64)
//   kDouble : 8 bytes, IEEE-754 little-endian
//   kBytes  : varint length, bytes
//   kArray  : u32 LE count, then `count` values
//   kKvList : u32 LE count, then `count` x (varint key length, key, value)
//
// Counts are fixed 4-byte fields so that a decoder can write a list's items as
// it reads them and patch the count at the end, without an intermediate copy.
// Attribute maps are stored as a kKvList value; duplicate keys are kept.
//
// Writers append to a caller-owned std::string (reused across rows on the hot
// path); readers work on string_views into stored bytes and never allocate.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/varint.h"

namespace otelstack::anyvalue {

enum class Tag : uint8_t {
  kEmpty = 0,
  kString = 1,
  kBool = 2,
  kInt = 3,
  kDouble = 4,
  kArray = 5,
  kKvList = 6,
  kBytes = 7,
};

// ---- Writing -------------------------------------------------------------
void AppendEmpty(std::string* out);
void AppendString(std::string* out, std::string_view s);
void AppendBool(std::string* out, bool b);
void AppendInt(std::string* out, int64_t v);
void AppendDouble(std::string* out, double v);
void AppendBytes(std::string* out, std::string_view b);

// Begins an array or kvlist; returns a handle for the matching End call.
// Between Begin and End append `count` values (arrays) or `count` pairs of
// AppendKey + one value (kvlists).
size_t BeginArray(std::string* out);
size_t BeginKvList(std::string* out);
void AppendKey(std::string* out, std::string_view key);
// AppendKey(key) then AppendString(s), in one append for the usual short
// attribute (decoders write one per string attribute).
void AppendStringEntry(std::string* out, std::string_view key, std::string_view s);
// AppendKey(key) then AppendBool(b), AppendInt(v) resp. AppendDouble(v), in
// one append for a short key (decoders write one per such attribute).
void AppendBoolEntry(std::string* out, std::string_view key, bool b);
void AppendIntEntry(std::string* out, std::string_view key, int64_t v);
void AppendDoubleEntry(std::string* out, std::string_view key, double v);
void EndList(std::string* out, size_t handle, uint32_t count);

// The encoding of an empty kvlist (an attribute map with no entries).
std::string_view EmptyKvList();

// ---- Reading -------------------------------------------------------------
// A decoded view of one value. For kArray/kKvList, `body` holds the items
// (after the count) and extends to the end of the enclosing buffer; use
// ListReader to walk them.
struct Value {
  Tag tag = Tag::kEmpty;
  std::string_view str;   // kString, kBytes
  bool b = false;         // kBool
  int64_t i = 0;          // kInt
  double d = 0;           // kDouble
  uint32_t count = 0;     // kArray, kKvList
  std::string_view body;  // kArray, kKvList: the encoded items
};

// Parses one value from the front of *in and advances past it (for lists:
// past all their items). Returns Corruption on malformed bytes.
Status ReadValue(std::string_view* in, Value* out);

namespace internal {
// Reads the payload of a value whose tag is not a list. False when the tag is
// a list or unknown, or the payload is truncated (ReadValue says which).
inline bool ReadScalarPayload(Tag tag, std::string_view* in, Value* out) {
  *out = Value();
  out->tag = tag;
  switch (tag) {
    case Tag::kEmpty:
      return true;
    case Tag::kString:
    case Tag::kBytes:
      return GetLengthPrefixed(in, &out->str);
    case Tag::kBool:
      if (in->empty()) return false;
      out->b = (*in)[0] != 0;
      in->remove_prefix(1);
      return true;
    case Tag::kInt: {
      uint64_t raw;
      if (!GetVarint64(in, &raw)) return false;
      out->i = ZigZagDecode(raw);
      return true;
    }
    case Tag::kDouble: {
      if (in->size() < 8) return false;
      uint64_t bits = DecodeFixed64(in->data());
      std::memcpy(&out->d, &bits, sizeof bits);
      in->remove_prefix(8);
      return true;
    }
    case Tag::kArray:
    case Tag::kKvList:
      return false;
  }
  return false;
}
}  // namespace internal

// ReadValue's inline path for the values that are not lists (nearly every
// attribute): true when it read one; false, with *in unchanged, for a list,
// an unknown tag or a truncated value (ReadValue then reads or rejects it).
inline bool ReadScalar(std::string_view* in, Value* out) {
  if (in->empty()) return false;
  std::string_view payload = in->substr(1);
  if (!internal::ReadScalarPayload(static_cast<Tag>(static_cast<unsigned char>((*in)[0])), &payload, out)) {
    return false;
  }
  *in = payload;
  return true;
}

// Parses `payload` as the whole of what follows tag `tag` in an encoded
// value (ReadValue without the tag).
Status ReadPayload(Tag tag, std::string_view payload, Value* out);

// Iterates the items of an array (key stays empty) or kvlist.
class ListReader {
 public:
  explicit ListReader(const Value& list) : rest_(list.body), remaining_(list.count), is_kv_(list.tag == Tag::kKvList) {}
  // Returns false at the end or on corruption (then status() is not OK).
  bool Next(std::string_view* key, Value* value);
  const Status& status() const { return status_; }
  // The encoded bytes (tag and payload) of the value the last successful
  // Next() returned (equal bytes <=> the same stored value).
  std::string_view value_bytes() const { return value_bytes_; }

 private:
  std::string_view rest_;
  std::string_view value_bytes_;
  uint32_t remaining_;
  bool is_kv_;
  Status status_;
};

// Parses a whole encoded value, requiring that nothing follows it.
Status ParseWhole(std::string_view encoded, Value* out);

// For an encoded array or kvlist, reads only its tag and count, leaving the
// items to ListReader (which checks them as it walks, so a caller that stops
// early never pays for the rest). Other values: as ParseWhole.
Status ParseListHead(std::string_view encoded, Value* out);

// Looks up the first entry with `key` in an encoded kvlist. Returns false when
// absent or when `encoded` is not a kvlist.
bool FindKey(std::string_view encoded_kvlist, std::string_view key, Value* out);

}  // namespace otelstack::anyvalue

#include "common/any_value.h"

#include <bit>
#include <cassert>
#include <cstring>

#include "common/bytes_copy.h"
#include "common/varint.h"

namespace otelstack::anyvalue {

namespace {
inline void PutTag(std::string* out, Tag tag) { out->push_back(static_cast<char>(tag)); }

// Skips `count` items (kv pairs when is_kv) at the front of *in.
Status SkipItems(std::string_view* in, uint32_t count, bool is_kv) {
  Value item;
  for (uint32_t i = 0; i < count; ++i) {
    if (is_kv) {
      std::string_view key;
      if (!GetLengthPrefixed(in, &key)) return Status::Corruption("any value: truncated key");
    }
    OTELSTACK_RETURN_IF_ERROR(ReadValue(in, &item));
  }
  return Status::OK();
}
}  // namespace

void AppendEmpty(std::string* out) { PutTag(out, Tag::kEmpty); }

void AppendString(std::string* out, std::string_view s) {
  PutTag(out, Tag::kString);
  PutLengthPrefixed(out, s);
}

void AppendBool(std::string* out, bool b) {
  PutTag(out, Tag::kBool);
  out->push_back(b ? 1 : 0);
}

void AppendInt(std::string* out, int64_t v) {
  PutTag(out, Tag::kInt);
  PutVarint64(out, ZigZagEncode(v));
}

void AppendDouble(std::string* out, double v) {
  PutTag(out, Tag::kDouble);
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  PutFixed64(out, bits);
}

void AppendBytes(std::string* out, std::string_view b) {
  PutTag(out, Tag::kBytes);
  PutLengthPrefixed(out, b);
}

size_t BeginArray(std::string* out) {
  PutTag(out, Tag::kArray);
  size_t handle = out->size();
  PutFixed32(out, 0);
  return handle;
}

size_t BeginKvList(std::string* out) {
  PutTag(out, Tag::kKvList);
  size_t handle = out->size();
  PutFixed32(out, 0);
  return handle;
}

void AppendKey(std::string* out, std::string_view key) { PutLengthPrefixed(out, key); }

namespace {
// Keys and string values shorter than this have one-byte lengths.
constexpr size_t kShort = 0x80;
// A scalar's value after its tag: a varint or a fixed64.
constexpr size_t kMaxScalarPayload = 10;

// Appends an entry with a short key (REQUIRES: key.size() < kShort): the
// key's length, the key, `tag`, then `head` and `body` (REQUIRES: together
// under kShort + kMaxScalarPayload bytes), assembled on the stack and
// appended at once. Decoders write one per attribute; inline, as the
// copies of the key and value are cheaper inline than a call.
[[gnu::always_inline]] inline void AppendShortEntry(std::string* out, std::string_view key, Tag tag,
                                                    std::string_view head, std::string_view body) {
  char buf[1 + kShort + 1 + kShort + kMaxScalarPayload];
  assert(key.size() < kShort && head.size() + body.size() < kShort + kMaxScalarPayload);
  char* p = buf;
  *p++ = static_cast<char>(key.size());
  CopyBytes(p, key.data(), key.size());
  p += key.size();
  *p++ = static_cast<char>(tag);
  CopyBytes(p, head.data(), head.size());
  p += head.size();
  CopyBytes(p, body.data(), body.size());
  p += body.size();
  out->append(buf, p - buf);
}

// AppendKey(key), then a scalar: `tag` and `payload`, its value as
// AppendBool, AppendInt or AppendDouble write it after the tag.
[[gnu::always_inline]] inline void AppendScalarEntry(std::string* out, std::string_view key, Tag tag,
                                                     std::string_view payload) {
  assert(payload.size() <= kMaxScalarPayload);
  if (key.size() >= kShort) {
    AppendKey(out, key);
    PutTag(out, tag);
    out->append(payload);
    return;
  }
  AppendShortEntry(out, key, tag, payload, {});
}
}  // namespace

void AppendStringEntry(std::string* out, std::string_view key, std::string_view s) {
  if (key.size() >= kShort || s.size() >= kShort) {
    AppendKey(out, key);
    AppendString(out, s);
    return;
  }
  const char length = static_cast<char>(s.size());  // one byte: a varint below 0x80
  AppendShortEntry(out, key, Tag::kString, std::string_view(&length, 1), s);
}

void AppendBoolEntry(std::string* out, std::string_view key, bool b) {
  const char truth = b ? 1 : 0;
  AppendScalarEntry(out, key, Tag::kBool, std::string_view(&truth, 1));
}

void AppendIntEntry(std::string* out, std::string_view key, int64_t v) {
  char zigzag[kMaxVarint64Bytes];
  const char* end = EncodeVarint64(zigzag, ZigZagEncode(v));
  AppendScalarEntry(out, key, Tag::kInt, std::string_view(zigzag, end - zigzag));
}

void AppendDoubleEntry(std::string* out, std::string_view key, double v) {
  char bits[8];
  EncodeFixed64(bits, std::bit_cast<uint64_t>(v));
  AppendScalarEntry(out, key, Tag::kDouble, std::string_view(bits, sizeof bits));
}

void EndList(std::string* out, size_t handle, uint32_t count) { EncodeFixed32(out->data() + handle, count); }

std::string_view EmptyKvList() {
  static const char kEmpty[5] = {static_cast<char>(Tag::kKvList), 0, 0, 0, 0};
  return std::string_view(kEmpty, sizeof kEmpty);
}

namespace {

// Reads the payload of a value tagged `tag` from the front of *in.
Status ReadPayloadFront(Tag tag, std::string_view* in, Value* out) {
  if (internal::ReadScalarPayload(tag, in, out)) return Status::OK();
  switch (tag) {
    case Tag::kEmpty:
      return Status::OK();
    case Tag::kString:
    case Tag::kBytes:
      return Status::Corruption("any value: truncated string");
    case Tag::kBool:
      return Status::Corruption("any value: truncated bool");
    case Tag::kInt:
      return Status::Corruption("any value: truncated int");
    case Tag::kDouble:
      return Status::Corruption("any value: truncated double");
    case Tag::kArray:
    case Tag::kKvList: {
      if (in->size() < 4) return Status::Corruption("any value: truncated list");
      out->count = DecodeFixed32(in->data());
      in->remove_prefix(4);
      std::string_view start = *in;
      OTELSTACK_RETURN_IF_ERROR(SkipItems(in, out->count, tag == Tag::kKvList));
      out->body = start.substr(0, start.size() - in->size());
      return Status::OK();
    }
  }
  return Status::Corruption("any value: unknown tag " + std::to_string(static_cast<int>(tag)));
}

}  // namespace

Status ReadValue(std::string_view* in, Value* out) {
  if (in->empty()) return Status::Corruption("any value: missing tag");
  Tag tag = static_cast<Tag>(static_cast<unsigned char>((*in)[0]));
  in->remove_prefix(1);
  return ReadPayloadFront(tag, in, out);
}

Status ReadPayload(Tag tag, std::string_view payload, Value* out) {
  OTELSTACK_RETURN_IF_ERROR(ReadPayloadFront(tag, &payload, out));
  if (!payload.empty()) return Status::Corruption("any value: trailing bytes");
  return Status::OK();
}

bool ListReader::Next(std::string_view* key, Value* value) {
  if (remaining_ == 0 || !status_.ok()) return false;
  if (is_kv_) {
    if (!GetLengthPrefixed(&rest_, key)) {
      status_ = Status::Corruption("any value: truncated key");
      return false;
    }
  } else {
    *key = std::string_view();
  }
  const std::string_view value_start = rest_;
  // Scalars (nearly every attribute) take the inline path; lists, unknown
  // tags and truncation go through ReadValue, which says what is wrong.
  if (!ReadScalar(&rest_, value)) {
    Status s = ReadValue(&rest_, value);
    if (!s.ok()) {
      status_ = std::move(s);
      return false;
    }
  }
  value_bytes_ = value_start.substr(0, value_start.size() - rest_.size());
  --remaining_;
  return true;
}

Status ParseListHead(std::string_view encoded, Value* out) {
  if (encoded.empty()) return Status::Corruption("any value: missing tag");
  Tag tag = static_cast<Tag>(static_cast<unsigned char>(encoded[0]));
  if (tag != Tag::kArray && tag != Tag::kKvList) return ParseWhole(encoded, out);
  if (encoded.size() < 5) return Status::Corruption("any value: truncated list");
  *out = Value();
  out->tag = tag;
  out->count = DecodeFixed32(encoded.data() + 1);
  out->body = encoded.substr(5);
  return Status::OK();
}

Status ParseWhole(std::string_view encoded, Value* out) {
  OTELSTACK_RETURN_IF_ERROR(ReadValue(&encoded, out));
  if (!encoded.empty()) return Status::Corruption("any value: trailing bytes");
  return Status::OK();
}

bool FindKey(std::string_view encoded_kvlist, std::string_view key, Value* out) {
  Value list;
  if (!ParseListHead(encoded_kvlist, &list).ok() || list.tag != Tag::kKvList) return false;
  ListReader reader(list);
  std::string_view k;
  while (reader.Next(&k, out)) {
    if (k == key) return true;
  }
  return false;
}

}  // namespace otelstack::anyvalue

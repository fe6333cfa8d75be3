// Test helpers for the OTLP decoders: a tiny protobuf encoder (test-only; the
// library only decodes), OTLP AnyValue/KeyValue message builders, a readable
// rendering of stored AnyValue encodings, and whole-batch comparison.
#pragma once

#include <gtest/gtest.h>

#include <charconv>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "common/any_value.h"
#include "common/varint.h"
#include "otlp/decode.h"
#include "store/schema/row_batch.h"

namespace otelstack::otlp::testing {

// Builds one protobuf message field by field, in the order called.
class Pb {
 public:
  Pb& Varint(uint32_t field, uint64_t v) {
    Tag(field, 0);
    PutVarint64(&buf_, v);
    return *this;
  }
  Pb& Fixed64(uint32_t field, uint64_t v) {
    Tag(field, 1);
    PutFixed64(&buf_, v);
    return *this;
  }
  Pb& Double(uint32_t field, double d) {
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    return Fixed64(field, bits);
  }
  Pb& Fixed32(uint32_t field, uint32_t v) {
    Tag(field, 5);
    PutFixed32(&buf_, v);
    return *this;
  }
  Pb& Sint(uint32_t field, int64_t v) { return Varint(field, ZigZagEncode(v)); }
  Pb& Bytes(uint32_t field, std::string_view v) {
    Tag(field, 2);
    PutVarint64(&buf_, v.size());
    buf_.append(v);
    return *this;
  }
  Pb& Msg(uint32_t field, const Pb& m) { return Bytes(field, m.str()); }
  Pb& Raw(std::string_view bytes) {
    buf_.append(bytes);
    return *this;
  }
  // One unknown field of every wire type (including a nested group), with
  // field numbers that OTLP does not use.
  Pb& Unknowns() {
    Varint(900, 12345).Fixed64(901, 7).Fixed32(902, 9).Bytes(903, "ignored");
    Tag(904, 3);  // group { varint 1 = 1; group 2 { } }
    Varint(1, 1);
    Tag(2, 3);
    Tag(2, 4);
    Tag(904, 4);
    return *this;
  }
  const std::string& str() const { return buf_; }

 private:
  void Tag(uint32_t field, uint32_t type) { PutVarint64(&buf_, (uint64_t{field} << 3) | type); }
  std::string buf_;
};

// ---- OTLP common messages ---------------------------------------------------
inline Pb AnyStr(std::string_view s) { return Pb().Bytes(1, s); }
inline Pb AnyBool(bool b) { return Pb().Varint(2, b ? 1 : 0); }
inline Pb AnyInt(int64_t v) { return Pb().Varint(3, static_cast<uint64_t>(v)); }
inline Pb AnyDouble(double d) { return Pb().Double(4, d); }
inline Pb AnyBytes(std::string_view b) { return Pb().Bytes(7, b); }
inline Pb AnyArray(std::initializer_list<Pb> values) {
  Pb array;
  for (const Pb& v : values) array.Msg(1, v);
  return Pb().Msg(5, array);
}
inline Pb KV(std::string_view key, const Pb& value) { return Pb().Bytes(1, key).Msg(2, value); }
inline Pb AnyKvList(std::initializer_list<std::pair<std::string_view, Pb>> entries) {
  Pb list;
  for (const auto& [k, v] : entries) list.Msg(1, KV(k, v));
  return Pb().Msg(6, list);
}

inline std::string Hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

// ---- Reading results --------------------------------------------------------

// Renders an encoded AnyValue as compact text: null, "str", true, 42, 1.5
// (doubles always show a '.', 'e', or are nan/inf), 0x0a0b (bytes),
// [a,b], {"k":v}.
inline void RenderValue(const anyvalue::Value& v, std::string* out) {
  using anyvalue::Tag;
  switch (v.tag) {
    case Tag::kEmpty:
      *out += "null";
      break;
    case Tag::kString:
      *out += '"' + std::string(v.str) + '"';
      break;
    case Tag::kBool:
      *out += v.b ? "true" : "false";
      break;
    case Tag::kInt:
      *out += std::to_string(v.i);
      break;
    case Tag::kDouble: {
      char buf[64];
      auto res = std::to_chars(buf, buf + sizeof buf, v.d);
      std::string s(buf, res.ptr);
      if (s.find_first_of(".eni") == std::string::npos) s += ".0";
      *out += s;
      break;
    }
    case Tag::kBytes: {
      *out += "0x";
      static const char* kDigits = "0123456789abcdef";
      for (char c : v.str) {
        *out += kDigits[(static_cast<unsigned char>(c) >> 4)];
        *out += kDigits[static_cast<unsigned char>(c) & 15];
      }
      break;
    }
    case Tag::kArray:
    case Tag::kKvList: {
      bool kv = v.tag == Tag::kKvList;
      *out += kv ? '{' : '[';
      anyvalue::ListReader reader(v);
      std::string_view key;
      anyvalue::Value item;
      bool first = true;
      while (reader.Next(&key, &item)) {
        if (!first) *out += ',';
        first = false;
        if (kv) *out += '"' + std::string(key) + "\":";
        RenderValue(item, out);
      }
      if (!reader.status().ok()) *out += "<corrupt>";
      *out += kv ? '}' : ']';
      break;
    }
  }
}

inline std::string Render(std::string_view encoded) {
  anyvalue::Value v;
  Status st = anyvalue::ParseWhole(encoded, &v);
  if (!st.ok()) return "<" + st.ToString() + ">";
  std::string out;
  RenderValue(v, &out);
  return out;
}

inline size_t Col(Signal signal, std::string_view name) {
  int i = ColumnIndex(signal, name);
  EXPECT_GE(i, 0) << name;
  return static_cast<size_t>(i);
}

// Column accessors by name, for readable assertions.
inline uint64_t U64(const RowBatch& b, std::string_view name, size_t row) { return b.U64(Col(b.signal(), name), row); }
inline int64_t I64(const RowBatch& b, std::string_view name, size_t row) { return b.I64(Col(b.signal(), name), row); }
inline double F64(const RowBatch& b, std::string_view name, size_t row) { return b.F64(Col(b.signal(), name), row); }
inline std::string Str(const RowBatch& b, std::string_view name, size_t row) {
  return std::string(b.Bytes(Col(b.signal(), name), row));
}
inline std::string Any(const RowBatch& b, std::string_view name, size_t row) {
  return Render(b.Bytes(Col(b.signal(), name), row));
}

// Every column of every row equal (fixed columns bit for bit).
inline void ExpectBatchesEqual(const RowBatch& a, const RowBatch& b) {
  ASSERT_EQ(a.signal(), b.signal());
  ASSERT_EQ(a.rows(), b.rows());
  auto schema = SchemaOf(a.signal());
  for (size_t row = 0; row < a.rows(); ++row) {
    for (size_t col = 0; col < schema.size(); ++col) {
      if (IsFixed(schema[col].type)) {
        EXPECT_EQ(a.U64(col, row), b.U64(col, row)) << "row " << row << " column " << schema[col].name;
      } else {
        EXPECT_EQ(a.Bytes(col, row), b.Bytes(col, row))
            << "row " << row << " column " << schema[col].name << ": " << Render(a.Bytes(col, row)) << " vs "
            << Render(b.Bytes(col, row));
      }
    }
  }
}

inline std::string ReadTestData(std::string_view name) {
  std::ifstream in(std::string(OTELSTACK_TEST_DATA) + "/otlp/" + std::string(name), std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline constexpr uint64_t kReceiveTime = 1700000000000000000ull;

inline DecodeResult MustDecode(Signal signal, Encoding encoding, std::string_view body) {
  DecodeResult result;
  Status st = Decode(signal, encoding, body, kReceiveTime, &result);
  EXPECT_TRUE(st.ok()) << st.ToString();
  if (!result.batch) result.batch = std::make_shared<RowBatch>(signal);
  return result;
}

}  // namespace otelstack::otlp::testing

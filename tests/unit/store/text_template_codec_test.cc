#include "store/text_template_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bytes_column.h"
#include "common/any_value.h"
#include "common/varint.h"
#include "store/column_codec.h"

namespace otelstack {
namespace {

std::string StringValue(std::string_view text) {
  std::string v;
  anyvalue::AppendString(&v, text);
  return v;
}

// The layout of the block Encode made last: blocks are decoded in it unless
// a test says otherwise (hand-written blocks of earlier layouts).
TextTemplateLayout encoded_layout = TextTemplateLayout::kNumberContexts;

Status DecodeAnyValues(std::string_view block, size_t rows, std::vector<uint32_t>* ends, std::string* data,
                       TextTemplateLayout layout = encoded_layout) {
  return DecodeTextTemplateColumn(block, layout, TextRows::kAnyValueStrings, rows, ends, data);
}

// Blocks written before number contexts (RawBlock's hand-written ones).
Status DecodeOneNumberStream(std::string_view block, size_t rows, std::vector<uint32_t>* ends, std::string* data) {
  return DecodeAnyValues(block, rows, ends, data, TextTemplateLayout::kOneNumberStream);
}

std::string Encode(const std::vector<std::string>& values, size_t size_limit = SIZE_MAX) {
  test::BytesColumn column(values);
  std::string block;
  EXPECT_TRUE(
      EncodeTextTemplateColumn(column.view(), TextRows::kAnyValueStrings, {}, size_limit, &block, &encoded_layout));
  return block;
}

// Decodes after a sentinel row and checks every value byte for byte.
void ExpectRoundTrip(const std::vector<std::string>& values) {
  const std::string block = Encode(values);
  std::vector<uint32_t> ends = {3};
  std::string data = "abc";
  Status s = DecodeAnyValues(block, values.size(), &ends, &data);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(ends.size(), values.size() + 1);
  for (size_t i = 0; i < values.size(); ++i) {
    std::string_view got(data.data() + ends[i], ends[i + 1] - ends[i]);
    EXPECT_EQ(got, values[i]) << "row " << i;
  }
}

// Log lines of a few templates with numbers, padded numbers, ids and words.
std::vector<std::string> TemplatedBodies(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  const char* kHex = "0123456789abcdef";
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    std::string id;
    for (int k = 0; k < 16; ++k) id.push_back(kHex[rng() % 16]);
    switch (rng() % 5) {
      case 0:
        out.push_back(StringValue("GET /api/orders/" + std::to_string(rng() % 100000) + " 200 " +
                                  std::to_string(rng() % 900) + "." + std::to_string(rng() % 10) + "ms"));
        break;
      case 1:
        out.push_back(StringValue("Payment txn_" + id + " declined: card expired"));
        break;
      case 2:
        out.push_back(StringValue("Resolved host-" + std::to_string(rng() % 9) + " to 10.0." +
                                  std::to_string(rng() % 256) + "." + std::to_string(rng() % 256)));
        break;
      case 3:
        out.push_back(StringValue("job finished at 2026-11-0" + std::to_string(1 + rng() % 9) + "T0" +
                                  std::to_string(rng() % 10) + ":00:07Z"));
        break;
      default:
        out.push_back(StringValue("Cache miss for key user:" + std::to_string(rng()) + ", loading"));
    }
  }
  return out;
}

TEST(TextTemplateCodec, RoundTripsTemplatedLogLines) { ExpectRoundTrip(TemplatedBodies(3000, 1)); }

TEST(TextTemplateCodec, RoundTripsNumberEdgeCases) {
  ExpectRoundTrip({
      StringValue("0"),
      StringValue("00"),
      StringValue("007 and 0.05 and 10.00"),
      StringValue("max 999999999999999999 (18 digits)"),
      StringValue("more than 18: 12345678901234567890123 and 000000000000000000000001"),
      StringValue("18446744073709551615 overflows u64 as one run"),
      StringValue("-42 +17 3e10 1,000,000"),
      StringValue("trailing digits42"),
      StringValue("42"),
  });
}

TEST(TextTemplateCodec, RoundTripsIdsWordsAndUnicode) {
  ExpectRoundTrip({
      StringValue(""),
      StringValue("no digits at all"),
      StringValue("request 550e8400-e29b-41d4-a716-446655440000 done"),
      StringValue("base36 k3j9d8x7 and a1b2 and 1h30m"),
      StringValue("thread http-nio-8080-exec-12 ORD-12345678 SKU-004411"),
      StringValue("café 12 € naïve 7ü8"),
      StringValue("tabs\tand\nnewlines 5\r\n"),
      StringValue(std::string("nul\0byte 9", 10)),
  });
}

TEST(TextTemplateCodec, RoundTripsHexIdentifiers) {
  ExpectRoundTrip({
      StringValue("txn_3fa9b2c0e1d4f5a6 declined"),
      StringValue("uuid 550e8400-e29b-41d4-a716-446655440000."),
      StringValue("odd length 3fa9b2c0e only as a string"),
      StringValue("upper 3FA9B2C0E1D4F5A6 and mixed 3fA9b2C0"),
      StringValue("trailing separator 3fa9b2c0e1d4- and double 3fa9--b2c0e1d4f5a6"),
      StringValue("deadbeef01 abc123def456 cafe_0123abcd"),
      StringValue("span 00f067aa0ba902b7 trace 4bf92f3577b34da6a3ce929d0e0e4736"),
      // Runs that qualify up to a point: an odd run after a separator, one
      // hex digit left at the end, a letter that is not hex, a prefix and an
      // odd run, a separator followed by nothing hex.
      StringValue("ab12cd34-abc e0f1a2b3c4_d ab12cd34g req-abc123d3f 00aa11bb._x"),
  });
}

TEST(TextTemplateCodec, HexIdentifiersAreStoredAsBytes) {
  // 1000 rows, each with a 32-digit hex id: the ids' entropy is 16 bytes a
  // row, which text in a string stream pays with Huffman-coded characters.
  std::mt19937 rng(7);
  std::vector<std::string> values;
  for (int i = 0; i < 1000; ++i) {
    std::string id;
    for (int k = 0; k < 32; ++k) id.push_back("0123456789abcdef"[rng() % 16]);
    values.push_back(StringValue("request " + id + " done"));
  }
  const std::string block = Encode(values);
  EXPECT_LT(block.size(), 1000u * 16 + 600);
  ExpectRoundTrip(values);
}

TEST(TextTemplateCodec, RoundTripsLongBodies) {
  std::string long_text;
  for (int i = 0; i < 3000; ++i) long_text += "line " + std::to_string(i) + " of a stack trace\n";
  ExpectRoundTrip({
      StringValue(std::string(127, 'x')),
      StringValue(std::string(128, 'y')),
      StringValue(std::string(200, 'z') + " 12"),
      StringValue(long_text),  // > 16 KiB: a three-byte length varint
      StringValue("short 1"),
  });
}

TEST(TextTemplateCodec, RoundTripsRawText) {
  std::vector<std::string> values = {"user-17",   "user-4411",           "", "holds \x11 a marker",
                                     "user-0099", "txn_3fa9b2c0e1d4f5a6"};
  for (int i = 0; i < 200; ++i) values.push_back("user-" + std::to_string(i * 37));
  test::BytesColumn column(values);
  std::string block;
  TextTemplateLayout layout;
  ASSERT_TRUE(EncodeTextTemplateColumn(column.view(), TextRows::kRawText, {}, SIZE_MAX, &block, &layout));
  std::vector<uint32_t> ends;
  std::string data;
  Status s = DecodeTextTemplateColumn(block, layout, TextRows::kRawText, values.size(), &ends, &data);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(data, column.data);
  EXPECT_EQ(ends, column.ends);
}

TEST(TextTemplateCodec, StoresOtherRowsVerbatim) {
  std::string kvlist(anyvalue::EmptyKvList());
  std::string integer;
  anyvalue::AppendInt(&integer, 12345);
  std::string non_minimal = {static_cast<char>(anyvalue::Tag::kString), static_cast<char>(0x82), 0x00, 'h', 'i'};
  ExpectRoundTrip({
      StringValue("a 1"), StringValue("b 2"), StringValue("c 3"), StringValue("d 4"), kvlist, integer, non_minimal,
      StringValue("holds the \x11 number marker 5"), StringValue("holds the \x12 string marker 6"), StringValue("e 5"),
      StringValue("f 6"), StringValue("g 7"), StringValue("h 8"),
      std::string(),  // not even an AnyValue
  });
}

// Records what the encoder passes to the token index, in order; a Token call
// as "=" and the token.
class RecordingSink final : public TextSplitSink {
 public:
  void Text(std::string_view text) override { calls.emplace_back(text); }
  void Token(std::string_view token) override { calls.push_back("=" + std::string(token)); }
  void Verbatim(std::string_view) override { calls.emplace_back("<verbatim>"); }
  void TextComplete() override {}
  std::vector<std::string> calls;
};

// The runs of template token characters (letters, digits, '.', '-', '_' and
// bytes >= 0x80) of `text`.
std::vector<std::string> TemplateTokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string token;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '.' || c == '-' || c == '_' || u >= 0x80) {
      token.push_back(c);
    } else if (!token.empty()) {
      tokens.push_back(std::exchange(token, {}));
    }
  }
  if (!token.empty()) tokens.push_back(token);
  return tokens;
}

// Digits and markers are found at every offset, also among bytes >= 0x80
// (0x91 and 0xb0-0xb9 are a marker and digits with the top bit set): two
// rows of one template pass their number tokens, and the template's words
// once, in order; a row with a marker byte is stored verbatim.
TEST(TextTemplateCodec, FindsVariablesAndMarkersAtEveryOffset) {
  const std::string pattern = "ab\xb0\xb5 c\x91 de-f \xb9g_h. ";
  for (size_t offset = 0; offset < 48; ++offset) {
    std::string filler;
    while (filler.size() < offset) filler += pattern;
    filler.resize(offset);
    const std::string a = filler + " 1234 end", b = filler + " 9 end", marked = filler + "\x12 7";
    test::BytesColumn column({a, b, marked});
    std::string block;
    TextTemplateLayout layout;
    RecordingSink sink;
    ASSERT_TRUE(EncodeTextTemplateColumn(column.view(), TextRows::kRawText, {}, SIZE_MAX, &block, &layout, &sink));
    std::vector<std::string> expected = {"=1234"};
    for (const std::string& word : TemplateTokens(filler + " end")) expected.push_back(word);
    expected.push_back("=9");
    expected.push_back("<verbatim>");
    EXPECT_EQ(sink.calls, expected) << "offset " << offset;
    std::vector<uint32_t> ends;
    std::string data;
    ASSERT_TRUE(DecodeTextTemplateColumn(block, layout, TextRows::kRawText, 3, &ends, &data).ok());
    EXPECT_EQ(data, column.data) << "offset " << offset;
  }
}

// A variable is passed as its search tokens, split at '.', '-' and '_', when
// it has no upper-case letters; one that search must fold is passed as text.
TEST(TextTemplateCodec, PassesVariablesAsSearchTokensUnlessTheyNeedFolding) {
  test::BytesColumn column(
      {"at 10.0.0.1", "at x9Y", "at ab12", "at 1234567890123", "at k7\xc3\xbc", "at id_4", "at -v--2_"});
  std::string block;
  TextTemplateLayout layout;
  RecordingSink sink;
  ASSERT_TRUE(EncodeTextTemplateColumn(column.view(), TextRows::kRawText, {}, SIZE_MAX, &block, &layout, &sink));
  const std::vector<std::string> expected = {
      "=10", "=0",          "=0", "=1",  "at", "x9Y", "at", "=ab12", "at", "=1234567890123",
      "at",  "=k7\xc3\xbc", "at", "=id", "=4", "at",  "=v", "=2",    "at"};
  EXPECT_EQ(sink.calls, expected);
}

// Row codes drawn independently are rANS-coded; rows grouped by template
// keep varints, whose runs zstd codes in almost nothing.
TEST(TextTemplateCodec, RowCodesEntropyCodedOnlyWhenIndependent) {
  std::vector<std::string> bodies = TemplatedBodies(4000, 3);
  ExpectRoundTrip(bodies);
  EXPECT_EQ(encoded_layout, TextTemplateLayout::kCodedRows);
  std::sort(bodies.begin(), bodies.end());
  ExpectRoundTrip(bodies);
  EXPECT_EQ(encoded_layout, TextTemplateLayout::kNumberContexts);
}

TEST(TextTemplateCodec, DeclinesColumnsOfMostlyOtherValues) {
  std::string integer;
  anyvalue::AppendInt(&integer, 7);
  test::BytesColumn column({integer, integer, StringValue("a 1"), integer});
  std::string block = "stale";
  TextTemplateLayout layout;
  EXPECT_FALSE(EncodeTextTemplateColumn(column.view(), TextRows::kAnyValueStrings, {}, SIZE_MAX, &block, &layout));
  EXPECT_TRUE(block.empty());
}

TEST(TextTemplateCodec, DeclinesWhenNotSmallerThanTheLimit) {
  test::BytesColumn column(TemplatedBodies(100, 2));
  std::string block;
  TextTemplateLayout layout;
  EXPECT_FALSE(EncodeTextTemplateColumn(column.view(), TextRows::kAnyValueStrings, {}, 10, &block, &layout));
  EXPECT_TRUE(block.empty());
}

TEST(TextTemplateCodec, ChosenForBodyColumnsOnlyWhenAsked) {
  const std::vector<std::string> bodies = TemplatedBodies(4000, 3);
  test::BytesColumn column(bodies);
  std::string block;
  BytesEncodeOptions options;
  options.try_text_templates = true;
  ColumnEncoding e = EncodeBytesColumn(column.view(), &block, options);
  ASSERT_EQ(e, ColumnEncoding::kBytesTextTemplateCodedRows);  // templates drawn independently
  EXPECT_TRUE(EncodingCompressesItself(e));

  std::string plain, plain_stored;
  EXPECT_EQ(EncodeBytesColumn(column.view(), &plain), ColumnEncoding::kBytesPlain);
  part_format::BlockCompression compression;
  ASSERT_TRUE(CompressBlock(plain, 3, &plain_stored, &compression).ok());
  // The point of the encoding: clearly smaller than zstd over whole bodies.
  EXPECT_LT(block.size() * 10, plain_stored.size() * 8) << block.size() << " vs " << plain_stored.size();

  std::vector<uint32_t> ends;
  std::string data;
  ASSERT_TRUE(DecodeBytesColumn(e, block, bodies.size(), &ends, &data).ok());
  EXPECT_EQ(data, column.data);

  // A repeated body still gets a dictionary, which queries compare by code.
  test::BytesColumn repeated(std::vector<std::string>(500, StringValue("same 1")));
  EXPECT_EQ(EncodeBytesColumn(repeated.view(), &block, options), ColumnEncoding::kBytesConstant);
  std::vector<std::string> few;
  for (int i = 0; i < 500; ++i) few.push_back(StringValue("status " + std::to_string(i % 3)));
  test::BytesColumn few_column(few);
  EXPECT_EQ(EncodeBytesColumn(few_column.view(), &block, options), ColumnEncoding::kBytesDict);
}

TEST(TextTemplateCodec, RejectsEveryTruncation) {
  const std::vector<std::string> bodies = TemplatedBodies(50, 4);
  const std::string block = Encode(bodies);
  for (size_t size = 0; size < block.size(); ++size) {
    std::vector<uint32_t> ends;
    std::string data;
    Status s = DecodeAnyValues(std::string_view(block).substr(0, size), bodies.size(), &ends, &data);
    EXPECT_TRUE(s.code() == Status::Code::kCorruption) << "size " << size << ": " << s.ToString();
    EXPECT_TRUE(ends.empty());
  }
}

TEST(TextTemplateCodec, RejectsWrongRowCountsAndTrailingBytes) {
  const std::vector<std::string> bodies = TemplatedBodies(50, 5);
  const std::string block = Encode(bodies);
  std::vector<uint32_t> ends;
  std::string data;
  EXPECT_TRUE(DecodeAnyValues(block, bodies.size() - 1, &ends, &data).code() == Status::Code::kCorruption);
  EXPECT_TRUE(DecodeAnyValues(block, bodies.size() + 1, &ends, &data).code() == Status::Code::kCorruption);
  EXPECT_TRUE(DecodeAnyValues(block + "x", bodies.size(), &ends, &data).code() == Status::Code::kCorruption);
}

// `streams` as packed streams stored raw (uncompressed), one after another.
std::string RawStreams(const std::vector<std::string>& streams) {
  std::string block;
  for (const std::string& s : streams) {
    PutVarint64(&block, s.size());
    PutVarint64(&block, s.size());
    block += s;
  }
  return block;
}

// Builds a one-number-stream block from raw streams. Streams not given are
// empty.
std::string RawBlock(std::vector<std::string> streams) {
  streams.resize(6);
  return RawStreams(streams);
}

std::string Varints(std::initializer_list<uint64_t> values) {
  std::string out;
  for (uint64_t v : values) PutVarint64(&out, v);
  return out;
}

TEST(TextTemplateCodec, DecodesAHandWrittenBlockWithOneNumberStream) {
  // One template "id \x11 at \x12 #\x13", two rows: "id 7 at x1 #00ff" and
  // "id 0042 at y22 #a1".
  const std::string templates = Varints({1, 12}) + "id \x11 at \x12 #\x13";
  const std::string block = RawBlock({templates, Varints({1, 1}), Varints({7 << 1, 42 << 1 | 1, 4}),
                                      Varints({2, 2, 3, 1}), "x1y22", std::string("\x00\xff\xa1", 3)});
  std::vector<uint32_t> ends;
  std::string data;
  Status s = DecodeOneNumberStream(block, 2, &ends, &data);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(data, StringValue("id 7 at x1 #00ff") + StringValue("id 0042 at y22 #a1"));
}

// A block with number contexts, built from raw (uncompressed) streams:
// templates, rows, the numbers header, each context's stream, then lengths,
// strings and hex bytes.
std::string RawContextBlock(const std::string& templates, const std::string& rows, const std::string& header,
                            const std::vector<std::string>& contexts, const std::string& lengths = "",
                            const std::string& strings = "") {
  std::vector<std::string> streams = {templates, rows, header};
  streams.insert(streams.end(), contexts.begin(), contexts.end());
  streams.insert(streams.end(), {lengths, strings, ""});
  return RawStreams(streams);
}

TEST(TextTemplateCodec, DecodesAHandWrittenBlockWithNumberContexts) {
  // One template "n=\x11 v\x11.\x11": contexts "n=" (codes), " v" (bit-packed:
  // min 300, width 4) and "\x11." (codes, padded). Rows: "n=7 v301.05",
  // "n=9 v315.5".
  const std::string templates = Varints({1, 8}) + "n=\x11 v\x11.\x11";
  const std::string header = Varints({3}) + "n=" + std::string(1, 0) + Varints({2}) + " v" + std::string(1, 1) +
                             Varints({2, 300}) + std::string(1, 4) + "\x11." + std::string(1, 0) + Varints({2});
  const std::string codes_n = Varints({7 << 1, 9 << 1});
  const std::string packed_v = std::string(1, static_cast<char>(1 | 15 << 4));  // 301 - 300, 315 - 300
  const std::string codes_frac = Varints({5 << 1 | 1, 2, 5 << 1});
  const std::string block = RawContextBlock(templates, Varints({1, 1}), header, {codes_n, packed_v, codes_frac});
  std::vector<uint32_t> ends;
  std::string data;
  Status s = DecodeAnyValues(block, 2, &ends, &data, TextTemplateLayout::kNumberContexts);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(data, StringValue("n=7 v301.05") + StringValue("n=9 v315.5"));

  // What a decoder must refuse in that layout.
  const std::string one_context = Varints({1}) + "n=" + std::string(1, 0) + Varints({1});
  const std::string one_row_template = Varints({1, 3}) + "n=\x11";
  struct Case {
    const char* what;
    std::string block;
  };
  const std::vector<Case> cases = {
      {"a number without a context",
       RawContextBlock(Varints({1, 3}) + "m=\x11", Varints({1}), one_context, {Varints({2})})},
      {"two contexts with one key",
       RawContextBlock(one_row_template, Varints({1}), Varints({2}) + one_context.substr(1) + one_context.substr(1),
                       {Varints({2}), Varints({2})})},
      {"fewer numbers than counted",
       RawContextBlock(one_row_template, Varints({1}), Varints({1}) + "n=" + std::string(1, 0) + Varints({2}),
                       {Varints({2, 4})})},
      {"more codes than counted", RawContextBlock(one_row_template, Varints({1}), one_context, {Varints({2, 4})})},
      {"unknown number mode", RawContextBlock(one_row_template, Varints({1}),
                                              Varints({1}) + "n=" + std::string(1, 7) + Varints({1}), {Varints({2})})},
      {"bit-packed wider than 56 bits",
       RawContextBlock(one_row_template, Varints({1}),
                       Varints({1}) + "n=" + std::string(1, 1) + Varints({1, 0}) + std::string(1, 57),
                       {std::string(8, 'x')})},
      {"bit-packed bytes of the wrong size",
       RawContextBlock(one_row_template, Varints({1}),
                       Varints({1}) + "n=" + std::string(1, 1) + Varints({1, 0}) + std::string(1, 8), {"ab"})},
      {"bit-packed minimum of 19 digits",
       RawContextBlock(
           one_row_template, Varints({1}),
           Varints({1}) + "n=" + std::string(1, 1) + Varints({1, uint64_t{1000000000000000000}}) + std::string(1, 0),
           {""})},
      {"context streams missing", RawBlock({one_row_template, Varints({1}), one_context})},
  };
  for (const Case& c : cases) {
    ends.clear();
    data.clear();
    Status r = DecodeAnyValues(c.block, 1, &ends, &data);
    EXPECT_TRUE(r.code() == Status::Code::kCorruption) << c.what << ": " << r.ToString();
  }
}

// Numbers whose context holds uniform ids are stored in their range's bits:
// 8-digit order numbers take about 27 bits each, not zstd's ~32 over varints.
TEST(TextTemplateCodec, UniformNumbersAreBitPacked) {
  std::mt19937 rng(8);
  std::vector<std::string> bodies;
  for (int i = 0; i < 4000; ++i) {
    bodies.push_back(StringValue("Order ORD-" + std::to_string(10000000 + rng() % 90000000) + " created"));
  }
  ExpectRoundTrip(bodies);
  const std::string block = Encode(bodies);
  EXPECT_LT(block.size(), 4000 * 27 / 8 + 200) << "bit-packed";
}

TEST(TextTemplateCodec, RejectsMalformedStreams) {
  const std::string templates = Varints({1, 5}) + "n=\x11 \x12";
  struct Case {
    const char* what;
    std::vector<std::string> streams;
  };
  const std::vector<Case> cases = {
      {"template index out of range", {templates, Varints({2}), Varints({2}), Varints({1}), "a"}},
      {"padded width not above the digits", {templates, Varints({1}), Varints({43, 2}), Varints({1}), "a"}},
      {"padded width above 18", {templates, Varints({1}), Varints({1, 19}), Varints({1}), "a"}},
      {"number of 19 digits",
       {templates, Varints({1}), Varints({uint64_t{1000000000000000000} << 1}), Varints({1}), "a"}},
      {"numbers left over", {templates, Varints({1}), Varints({2, 4}), Varints({1}), "a"}},
      {"strings left over", {templates, Varints({1}), Varints({2}), Varints({1}), "ab"}},
      {"string beyond the strings stream", {templates, Varints({1}), Varints({2}), Varints({5}), "a"}},
      {"lengths missing", {templates, Varints({1}), Varints({2}), "", "a"}},
      {"template bytes short", {Varints({1, 9}) + "n=\x11 \x12", Varints({1}), Varints({2}), Varints({1}), "a"}},
      {"template count too large", {Varints({300}), Varints({1}), Varints({2}), Varints({1}), "a"}},
      {"verbatim row without bytes", {templates, Varints({0}), "", "", ""}},
      {"hex variable beyond the hex stream", {Varints({1, 3}) + "h=\x13", Varints({1}), "", Varints({3}), "", "ab"}},
      {"hex bytes left over", {Varints({1, 3}) + "h=\x13", Varints({1}), "", Varints({1}), "", "ab"}},
  };
  for (const Case& c : cases) {
    std::vector<uint32_t> ends;
    std::string data;
    Status s = DecodeOneNumberStream(RawBlock(c.streams), 1, &ends, &data);
    EXPECT_TRUE(s.code() == Status::Code::kCorruption) << c.what << ": " << s.ToString();
  }
  // A stream claiming more stored than raw bytes, and a corrupt zstd frame.
  std::string bad_sizes = Varints({1, 2}) + "xx" + RawBlock({"", "", "", "", ""});
  std::vector<uint32_t> ends;
  std::string data;
  EXPECT_TRUE(DecodeOneNumberStream(bad_sizes, 0, &ends, &data).code() == Status::Code::kCorruption);
  std::string bad_frame = Varints({100, 4}) + "abcd" + RawBlock({"", "", "", "", ""});
  EXPECT_TRUE(DecodeOneNumberStream(bad_frame, 0, &ends, &data).code() == Status::Code::kCorruption);
}

TEST(TextTemplateCodec, RandomBlocksNeverCrash) {
  std::mt19937 rng(9);
  const std::string valid = Encode(TemplatedBodies(40, 6));
  for (int round = 0; round < 2000; ++round) {
    std::string block = valid;
    for (int flips = 1 + rng() % 4; flips > 0; --flips) block[rng() % block.size()] = static_cast<char>(rng());
    std::vector<uint32_t> ends;
    std::string data;
    // Either decodes 40 rows or reports corruption; ASan checks the reads.
    Status s = DecodeAnyValues(block, 40, &ends, &data);
    if (s.ok()) {
      EXPECT_EQ(ends.size(), 40u);
    } else {
      EXPECT_TRUE(s.code() == Status::Code::kCorruption) << s.ToString();
    }
  }
}

}  // namespace
}  // namespace otelstack

#include "store/text_template_codec.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <charconv>
#include <cstring>
#include <deque>
#include <span>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/any_value.h"
#include "common/string_index.h"
#include "common/varint.h"
#include "store/bit_stream.h"
#include "store/column_codec.h"
#include "store/rans_codec.h"
#include "store/skip_index/tokenizer.h"

namespace otelstack {

namespace {

constexpr char kNumberMarker = 0x11;
constexpr char kStringMarker = 0x12;
constexpr char kHexMarker = 0x13;
constexpr size_t kStreamCount = 6;
enum Stream { kTemplates = 0, kRows = 1, kNumbers = 2, kLengths = 3, kStrings = 4, kHexBytes = 5 };

constexpr bool IsMarker(char c) { return c == kNumberMarker || c == kStringMarker || c == kHexMarker; }

// How a number context's values are stored (TextTemplateLayout::kNumberContexts).
enum class NumberMode : uint8_t { kCodes = 0, kBitPacked = 1 };

// Below this share of qualifying rows the column is not text worth
// templating (e.g. structured bodies): the caller picks another encoding.
constexpr double kMinTemplatedShare = 0.5;

// Number variables have at most kMaxNumberDigits digits.
constexpr uint64_t kNumberLimit = 1000000000000000000ull;  // 10^kMaxNumberDigits

// Character classes, one table lookup per byte on the encoder's hot loop.
enum CharClass : uint8_t {
  kDigit = 1,      // 0-9
  kHexLetter = 2,  // a-f, A-F
  kLetter = 4,     // ASCII letters
  kTokenChar = 8,  // letters, digits, '.', '-', '_' and non-ASCII bytes (so UTF-8 words stay whole)
  kMarker = 16,    // bytes that templates reserve
  // Token characters that a search token cannot hold as they are
  // (tokens::IsFoldedTokenByte): '.', '-' and '_' separate search tokens,
  // upper-case letters are folded.
  kNotSearchToken = 32,
  kUpper = 64,  // A-Z
};

constexpr std::array<uint8_t, 256> MakeCharClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t k = 0;
    if (c >= '0' && c <= '9') k |= kDigit | kTokenChar;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) k |= kLetter | kTokenChar;
    if (c >= 'A' && c <= 'Z') k |= kUpper;
    if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) k |= kHexLetter;
    if (c == '.' || c == '-' || c == '_' || c >= 0x80) k |= kTokenChar;
    if ((k & kTokenChar) && !tokens::IsFoldedTokenByte(static_cast<unsigned char>(c))) k |= kNotSearchToken;
    if (IsMarker(static_cast<char>(c))) k |= kMarker;
    t[c] = k;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kCharClasses = MakeCharClasses();

uint8_t ClassOf(char c) { return kCharClasses[static_cast<unsigned char>(c)]; }
bool IsDigit(char c) { return ClassOf(c) & kDigit; }
// kHexNibbles[c]: the value of c as a lowercase hex digit, or kNotHex.
constexpr uint8_t kNotHex = 0xff;
constexpr std::array<uint8_t, 256> MakeHexNibbles() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : kNotHex;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kHexNibbles = MakeHexNibbles();

uint8_t HexValue(char c) { return kHexNibbles[static_cast<unsigned char>(c)]; }
bool IsLowerHex(char c) { return HexValue(c) != kNotHex; }

// The first position in [from, n) of s that holds a digit or a marker
// byte, or n. Sixteen bytes at a time where SSE2 is there (every x86-64).
size_t FindDigitOrMarker(const char* s, size_t from, size_t n) {
  size_t p = from;
#if defined(__SSE2__)
  // Unsigned range checks with signed compares: c is in [lo, lo + k) when
  // c - (lo + 128), as a signed byte, is below k - 128.
  const __m128i digit_shift = _mm_set1_epi8(static_cast<char>('0' + 128));
  const __m128i digit_limit = _mm_set1_epi8(static_cast<char>(10 - 128));
  const __m128i marker_shift = _mm_set1_epi8(static_cast<char>(kNumberMarker + 128));
  const __m128i marker_limit = _mm_set1_epi8(static_cast<char>(3 - 128));
  static_assert(kStringMarker == kNumberMarker + 1 && kHexMarker == kNumberMarker + 2);
  for (; p + 16 <= n; p += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + p));
    const __m128i digit = _mm_cmplt_epi8(_mm_sub_epi8(x, digit_shift), digit_limit);
    const __m128i marker = _mm_cmplt_epi8(_mm_sub_epi8(x, marker_shift), marker_limit);
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(digit, marker)));
    if (mask != 0) return p + static_cast<size_t>(std::countr_zero(mask));
  }
#endif
  for (; p < n; ++p) {
    if (ClassOf(s[p]) & (kDigit | kMarker)) return p;
  }
  return n;
}

enum class TokenKind { kText, kNumbers, kString };

// A token without digits is template text. A token that looks like an
// identifier (a run of 8+ hex characters mixing digits and letters, or
// letters in runs of 1-2 between digits, as in random base-36 ids) is one
// string variable: split into its digit runs it would make a new template per
// row. Any other token with digits keeps its other characters in the
// template and turns each digit run into a number variable ("ORD-1234",
// "10.0.0.1", "12.5ms").
TokenKind ClassifyToken(std::string_view token) {
  bool has_digit = false;
  size_t hex_run = 0;
  bool hex_run_digit = false, hex_run_letter = false;
  size_t letter_run = 0;
  bool short_run_after_digit = false;  // a letter run of 1-2 that follows a digit
  for (char c : token) {
    const uint8_t cls = ClassOf(c);
    const bool digit = cls & kDigit;
    if (cls & (kDigit | kHexLetter)) {
      ++hex_run;
      hex_run_digit = hex_run_digit || digit;
      hex_run_letter = hex_run_letter || !digit;
      if (hex_run >= 8 && hex_run_digit && hex_run_letter) return TokenKind::kString;
    } else {
      hex_run = 0;
      hex_run_digit = hex_run_letter = false;
    }
    if (cls & kLetter) {
      ++letter_run;
      continue;
    }
    if (letter_run > 0) {
      short_run_after_digit = has_digit && letter_run <= 2;
      letter_run = 0;
    }
    if (digit) {
      if (short_run_after_digit) return TokenKind::kString;
      has_digit = true;
    } else {
      short_run_after_digit = false;
    }
  }
  return has_digit ? TokenKind::kNumbers : TokenKind::kText;
}

// The key of the number context of a marker at `pos` in `tmpl`: the two
// template bytes before it (0 for those before the start).
uint16_t NumberContextKey(std::string_view tmpl, size_t pos) {
  const auto byte = [&](size_t back) -> uint16_t {
    return pos >= back ? static_cast<unsigned char>(tmpl[pos - back]) : 0;
  };
  return static_cast<uint16_t>(byte(2) << 8 | byte(1));
}

// Widest bit-packed number context: a value and the bit offset of its first
// bit fit in one 64-bit load.
constexpr int kMaxPackedWidth = 56;

// The number variables of a block's rows, by context (see the header): each
// context's codes as in the numbers stream of the one-stream layout.
class NumberContextWriter {
 public:
  NumberContextWriter() {
    assert(!table_in_use_ && "one NumberContextWriter per thread at a time");
    table_in_use_ = true;
    index_.resize(size_t{1} << 16, 0);
  }
  ~NumberContextWriter() {
    for (const Context& c : contexts_) index_[c.key] = 0;  // only what Add set: the table stays zeroed
    table_in_use_ = false;
  }
  NumberContextWriter(const NumberContextWriter&) = delete;
  NumberContextWriter& operator=(const NumberContextWriter&) = delete;

  void Add(uint16_t key, uint64_t code, size_t digits) {
    uint32_t& slot = index_[key];
    if (slot == 0) {
      contexts_.push_back(Context{key, {}, {}, UINT64_MAX, 0, false});
      slot = static_cast<uint32_t>(contexts_.size());
    }
    Context& c = contexts_[slot - 1];
    PutVarint64(&c.codes, code);
    c.values.push_back(code >> 1);
    if (code & 1) {
      PutVarint64(&c.codes, digits);
      c.padded = true;
    }
    c.min = std::min(c.min, code >> 1);
    c.max = std::max(c.max, code >> 1);
  }

  size_t RawSize() const {
    size_t n = 0;
    for (const Context& c : contexts_) n += c.codes.size() + 8;
    return n;
  }

  // Appends the numbers header and each context's stream, as packed
  // streams, to *out: each context bit-packed when it has no padded numbers
  // and that is smaller than its codes compressed, or when it is near the
  // values' entropy (PackingIsNearEntropy): compressing the codes to compare
  // is then skipped.
  Status Put(const StreamCompression& compression, std::string* out) const {
    std::string header, streams, coded, packed;
    PutVarint64(&header, contexts_.size());
    for (const Context& c : contexts_) {
      header.push_back(static_cast<char>(c.key >> 8));
      header.push_back(static_cast<char>(c.key & 0xff));
      coded.clear();
      const int width = std::bit_width(c.max - c.min);
      const size_t packed_bytes = (c.values.size() * static_cast<uint64_t>(width) + 7) / 8;
      const bool packable = !c.padded && width <= kMaxPackedWidth;
      const bool pack_at_once = packable && PackingIsNearEntropy(c, width);
      if (!pack_at_once) {
        OTELSTACK_RETURN_IF_ERROR(PutPackedStream(c.codes, /*compress=*/true, compression, &coded));
      }
      if (pack_at_once ||
          (packable && packed_bytes + 2 * VarintLength(packed_bytes) + VarintLength(c.min) + 1 < coded.size())) {
        header.push_back(static_cast<char>(NumberMode::kBitPacked));
        PutVarint64(&header, c.values.size());
        PutVarint64(&header, c.min);
        header.push_back(static_cast<char>(width));
        BitPack(c, width, &packed);
        OTELSTACK_RETURN_IF_ERROR(PutPackedStream(packed, /*compress=*/false, compression, &streams));
      } else {
        header.push_back(static_cast<char>(NumberMode::kCodes));
        PutVarint64(&header, c.values.size());
        streams.append(coded);
      }
    }
    OTELSTACK_RETURN_IF_ERROR(PutPackedStream(header, /*compress=*/true, compression, out));
    out->append(streams);
    return Status::OK();
  }

 private:
  struct Context {
    uint16_t key;
    std::string codes;             // value << 1 | padded, then the digit count when padded
    std::vector<uint64_t> values;  // the same values, for estimating and bit-packing them
    uint64_t min, max;             // of the values
    bool padded;                   // some value is padded
  };

  // Whether c's values bit-packed at `width` bits take at most 10 % more
  // than an estimate of their entropy: an order-0 entropy of their top 8
  // bits plus the bits below those as they are. zstd seldom codes such
  // values (ids, offsets, counters: near-uniform over their range) in less,
  // so they are packed without compressing their codes to compare: in the
  // synthetic logs that skips about 60 % of those compressions, and the
  // choice differs for 1 context in 1,000, by a few bytes.
  static bool PackingIsNearEntropy(const Context& c, int width) {
    const int low_bits = std::max(width - 8, 0);
    thread_local std::string top_bytes;
    top_bytes.resize(c.values.size());
    for (size_t i = 0; i < c.values.size(); ++i) top_bytes[i] = static_cast<char>((c.values[i] - c.min) >> low_bits);
    const double estimate_bits = OrderZeroBits(top_bytes) + static_cast<double>(low_bits) * c.values.size();
    return static_cast<double>(c.values.size()) * width <= 1.1 * estimate_bits;
  }

  // The values less the minimum, `width` bits each, as a bit stream
  // (bit_stream.h).
  static void BitPack(const Context& c, int width, std::string* out) {
    out->clear();
    out->reserve((c.values.size() * static_cast<uint64_t>(width) + 7) / 8);
    BitWriter packed(out);
    for (uint64_t v : c.values) packed.Put(v - c.min, width);
    packed.Finish();
  }

  // key -> context index + 1, 0 for none; one table per thread, for the one
  // writer alive on it at a time (a block's encoding does not nest).
  static thread_local std::vector<uint32_t> index_;
  static thread_local bool table_in_use_;
  std::vector<Context> contexts_;
};
thread_local std::vector<uint32_t> NumberContextWriter::index_;
thread_local bool NumberContextWriter::table_in_use_ = false;

// The template of the row being split, written in place into a buffer the
// splitter keeps: a template is never longer than its text (a variable's
// runs of one or more bytes become one marker each; all else is copied), so
// room for the text is made once per row and each byte is stored without a
// capacity check.
class TemplateWriter {
 public:
  // Makes room for a template of up to `text_size` bytes in *buffer, which
  // must outlive the writer and is not otherwise touched while it lives.
  TemplateWriter(std::string* buffer, size_t text_size) : room_(text_size) {
    if (buffer->size() < text_size) buffer->resize(text_size);
    data_ = buffer->data();
  }

  void Append(const char* bytes, size_t n) {
    assert(size_ + n <= room_);
    std::memcpy(data_ + size_, bytes, n);
    size_ += n;
  }
  void Push(char c) {
    assert(size_ < room_);
    data_[size_++] = c;
  }
  // Drops what was written after the first `size` bytes.
  void Truncate(size_t size) { size_ = size; }
  size_t size() const { return size_; }
  std::string_view view() const { return {data_, size_}; }

 private:
  char* data_;
  size_t room_;
  size_t size_ = 0;
};

class TemplateSplitter {
 public:
  explicit TemplateSplitter(TextSplitSink* sink) : sink_(sink) {}

  // Splits `text` into its template, which *template_out views until the
  // next call, and the variable streams; false when the text holds a marker
  // byte (the row is then stored verbatim and the streams are rolled back).
  bool Split(std::string_view text, std::string_view* template_out) {
    row_numbers_.clear();
    const size_t lengths_mark = streams_[kLengths].size();
    const size_t strings_mark = streams_[kStrings].size();
    const size_t hex_mark = streams_[kHexBytes].size();
    const size_t n = text.size();
    TemplateWriter tmpl(&template_buffer_, n);
    const char* s = text.data();
    // Only tokens with a digit become variables, and a marker byte anywhere
    // makes the row verbatim: the search jumps from digit (or marker) to
    // digit, and looks at the token around each digit it finds. Words
    // without digits, most of a message, are copied into the template
    // without a look at each byte.
    // [literal_start, p) is pending literal text, flushed when a variable
    // token or the end is reached.
    size_t literal_start = 0;
    size_t p = 0;
    while ((p = FindDigitOrMarker(s, p, n)) < n) {
      if (ClassOf(s[p]) & kMarker) {
        streams_[kLengths].resize(lengths_mark);
        streams_[kStrings].resize(strings_mark);
        streams_[kHexBytes].resize(hex_mark);
        return false;
      }
      // The token around the digit. It cannot begin before the last
      // variable ended (literal_start): a token ends at a byte that is not a
      // token character.
      size_t token_start = p;
      uint8_t token_classes = 0;
      uint8_t cls;
      while (token_start > literal_start && ((cls = ClassOf(s[token_start - 1])) & kTokenChar)) {
        token_classes |= cls;
        --token_start;
      }
      while (p < n && ((cls = ClassOf(s[p])) & kTokenChar)) {
        token_classes |= cls;
        ++p;
      }
      const std::string_view token = text.substr(token_start, p - token_start);
      if (sink_ != nullptr) PassVariable(token, token_classes);
      tmpl.Append(s + literal_start, token_start - literal_start);
      AddVariableToken(token, token_classes, &tmpl);
      literal_start = p;
    }
    tmpl.Append(s + literal_start, n - literal_start);
    *template_out = tmpl.view();
    for (const PendingNumber& number : row_numbers_) numbers_.Add(number.key, number.code, number.digits);
    return true;
  }

  void AddVerbatim(std::string_view value) {
    PutVarint64(&streams_[kLengths], value.size());
    streams_[kStrings].append(value);
  }

  std::array<std::string, kStreamCount>& streams() { return streams_; }
  const NumberContextWriter& numbers() const { return numbers_; }

 private:
  // Passes a variable token to the sink: as its search tokens when they are
  // in folded form (TextSplitSink), else as text; `classes` is the union of
  // its characters' classes.
  void PassVariable(std::string_view token, uint8_t classes) {
    if (!(classes & kNotSearchToken)) return sink_->Token(token);
    if (classes & kUpper) return sink_->Text(token);  // to be folded
    // Only '.', '-' and '_' are not search token bytes here: they separate
    // the search tokens.
    size_t start = 0;
    for (size_t i = 0; i < token.size(); ++i) {
      if (!(ClassOf(token[i]) & kNotSearchToken)) continue;
      if (i > start) sink_->Token(token.substr(start, i - start));
      start = i + 1;
    }
    if (start < token.size()) sink_->Token(token.substr(start));
  }

  // A token with digits; `classes` is the union of its characters' classes.
  // Tokens without letters are numbers and separators ("10.0.0.1", "12.5");
  // only tokens that mix digits and letters need ClassifyToken.
  void AddVariableToken(std::string_view token, uint8_t classes, TemplateWriter* tmpl) {
    if ((classes & kLetter) && ClassifyToken(token) == TokenKind::kString) {
      if (AddHexToken(token, tmpl)) return;
      tmpl->Push(kStringMarker);
      PutVarint64(&streams_[kLengths], token.size());
      streams_[kStrings].append(token);
      return;
    }
    size_t i = 0;
    while (i < token.size()) {
      size_t literal = i;
      while (i < token.size() && !IsDigit(token[i])) ++i;
      tmpl->Append(token.data() + literal, i - literal);
      if (i == token.size()) break;
      size_t end = i;
      uint64_t value = 0;
      while (end < token.size() && IsDigit(token[end]) && end - i < kMaxNumberDigits) {
        value = value * 10 + static_cast<uint64_t>(token[end] - '0');
        ++end;
      }
      const size_t digits = end - i;
      const bool padded = digits > 1 && token[i] == '0';
      row_numbers_.push_back(
          PendingNumber{NumberContextKey(tmpl->view(), tmpl->size()), value << 1 | (padded ? 1 : 0), digits});
      tmpl->Push(kNumberMarker);
      i = end;
    }
  }

  // An identifier made of lowercase hex: an optional prefix without digits
  // ("txn_", "req-") and then even-length runs of [0-9a-f] separated by single
  // '-', '_' or '.' (hex ids, UUIDs). Each run becomes a hex variable stored
  // as bytes, half the size of its text; false for any other token.
  bool AddHexToken(std::string_view token, TemplateWriter* tmpl) {
    size_t first_digit = 0;
    while (!IsDigit(token[first_digit])) ++first_digit;  // the token has a digit
    size_t start = first_digit;
    while (start > 0 && IsLowerHex(token[start - 1])) --start;
    // One pass: each run is converted as it is read, two characters at a
    // time, and everything written is rolled back if the token turns out not
    // to qualify.
    std::string& bytes = streams_[kHexBytes];
    std::string& lengths = streams_[kLengths];
    const size_t bytes_mark = bytes.size(), lengths_mark = lengths.size(), template_mark = tmpl->size();
    tmpl->Append(token.data(), start);
    const size_t n = token.size();
    for (size_t i = start;;) {
      const size_t run_start = i;
      const size_t at = bytes.size();
      bytes.resize(at + (n - i) / 2);  // room for the longest run possible
      char* out = bytes.data() + at;
      for (; i + 1 < n; i += 2) {
        const uint8_t high = HexValue(token[i]), low = HexValue(token[i + 1]);
        if ((high | low) > 0x0f) break;  // either is not a hex digit
        *out++ = static_cast<char>(high << 4 | low);
      }
      const size_t run = i - run_start;
      bytes.resize(at + run / 2);
      // A run ends at a character that is not a hex digit (or the end): one
      // left over would make it odd.
      if (run == 0 || (i < n && IsLowerHex(token[i]))) break;
      PutVarint64(&lengths, run / 2);
      tmpl->Push(kHexMarker);
      if (i == n) return true;
      if (token[i] != '-' && token[i] != '_' && token[i] != '.') break;
      tmpl->Push(token[i]);
      if (++i == n) break;  // a trailing separator
    }
    bytes.resize(bytes_mark);
    lengths.resize(lengths_mark);
    tmpl->Truncate(template_mark);
    return false;
  }

  // A number variable of the row being split, added to its context once
  // the whole row splits (a row stored verbatim adds none).
  struct PendingNumber {
    uint16_t key;
    uint64_t code;
    size_t digits;
  };

  std::array<std::string, kStreamCount> streams_;  // kNumbers unused: numbers_ holds the numbers
  std::string template_buffer_;                    // TemplateWriter's room
  std::vector<PendingNumber> row_numbers_;
  NumberContextWriter numbers_;
  TextSplitSink* sink_;
};

// Passes the words of a new template to `sink`: the runs of token bytes
// that touch no marker (a run that touches one is what a variable token left
// in the template, passed with the variable).
void PassTemplateWords(std::string_view tmpl, TextSplitSink* sink) {
  size_t p = 0;
  const size_t n = tmpl.size();
  while (p < n) {
    while (p < n && !(ClassOf(tmpl[p]) & kTokenChar)) ++p;
    const size_t start = p;
    while (p < n && (ClassOf(tmpl[p]) & kTokenChar)) ++p;
    if (p == start) break;
    const bool touches_marker = (start > 0 && IsMarker(tmpl[start - 1])) || (p < n && IsMarker(tmpl[p]));
    if (!touches_marker) sink->Text(tmpl.substr(start, p - start));
  }
}

// Reads the AnyValue string `value` as its text; false unless it is exactly
// a kString tag, a minimal length varint and that many bytes (anything else
// would not round-trip through the template path).
bool StringText(std::string_view value, std::string_view* text) {
  if (value.empty() || value[0] != static_cast<char>(anyvalue::Tag::kString)) return false;
  std::string_view rest = value.substr(1);
  uint64_t length;
  if (!GetVarint64(&rest, &length) || length != rest.size()) return false;
  if (value.size() - 1 - rest.size() != VarintLength(length)) return false;
  *text = rest;
  return true;
}

// Writes the block: the streams in order, the numbers as their contexts.
Status PutStreams(const std::array<std::string, kStreamCount>& streams, const NumberContextWriter& numbers,
                  TextTemplateLayout layout, const StreamCompression& compression, std::string* out) {
  for (size_t s = 0; s < kStreamCount; ++s) {
    if (s == kNumbers) {
      OTELSTACK_RETURN_IF_ERROR(numbers.Put(compression, out));
    } else {
      const bool coded = s == kRows && layout == TextTemplateLayout::kCodedRows;  // nothing for zstd
      OTELSTACK_RETURN_IF_ERROR(PutPackedStream(streams[s], /*compress=*/!coded, compression, out));
    }
  }
  return Status::OK();
}

Status Malformed(std::string_view what) {
  return Status::Corruption("malformed text-template block: " + std::string(what));
}

// One number context's values, as the decoder reads them.
struct NumberSource {
  NumberMode mode = NumberMode::kCodes;
  bool counted = true;     // false: the one-stream layout, whose count is not stored
  uint64_t remaining = 0;  // values not read yet (when counted)
  std::string_view bytes;  // kCodes: the codes not read yet (kBitPacked: the stream `packed` reads)
  BitReader packed{{}};    // kBitPacked: the packed values (their count checked at parse)
  uint64_t min = 0;        // kBitPacked
  int width = 0;           // kBitPacked: <= kMaxPackedWidth

  // The next number's code (value << 1 | padded); false when there is none.
  // A padded code's digit count follows in `bytes` (kCodes only).
  bool NextCode(uint64_t* code) {
    if (counted && remaining-- == 0) return false;
    if (mode == NumberMode::kCodes) return GetVarint64(&bytes, code);
    *code = (min + packed.Take(width)) << 1;
    return true;
  }
  bool UsedUp() const { return (!counted || remaining == 0) && (mode == NumberMode::kBitPacked || bytes.empty()); }
};

// A block's streams, decompressed (views into the block or thread-local
// scratch, valid until the next GetStreams on the thread).
struct BlockStreams {
  std::array<std::string_view, kStreamCount> streams;  // kNumbers: unused with number contexts
  std::vector<NumberSource> numbers;                   // one per context (one for the one-stream layout)
  std::vector<uint16_t> number_keys;                   // each context's key (number contexts only)
};

// Buffers for the decompressed streams of one block at a time, reused from
// block to block (a block has a few dozen streams with number contexts).
// Buffers stay where they are while more are added.
class StreamScratch {
 public:
  void Reset() { used_ = 0; }
  std::string* Next() {
    if (used_ == buffers_.size()) buffers_.emplace_back();
    return &buffers_[used_++];
  }

 private:
  std::deque<std::string> buffers_;
  size_t used_ = 0;
};

// Parses the numbers header of a number-contexts block and reads its
// contexts' streams from the front of *block.
Status GetNumberContexts(std::string_view header, std::string_view* block, const ZstdDictionary* dictionary,
                         StreamScratch* scratch, BlockStreams* out) {
  uint64_t count;
  if (!GetVarint64(&header, &count) || count > header.size()) return Malformed("bad number context count");
  for (uint64_t k = 0; k < count; ++k) {
    if (header.size() < 3) return Malformed("truncated number context");
    out->number_keys.push_back(
        static_cast<uint16_t>(static_cast<unsigned char>(header[0]) << 8 | static_cast<unsigned char>(header[1])));
    NumberSource source;
    source.mode = static_cast<NumberMode>(header[2]);
    header.remove_prefix(3);
    if (!GetVarint64(&header, &source.remaining)) return Malformed("bad number context count");
    if (source.mode == NumberMode::kBitPacked) {
      if (!GetVarint64(&header, &source.min) || source.min >= kNumberLimit || header.empty()) {
        return Malformed("bad bit-packed number context");
      }
      source.width = static_cast<unsigned char>(header[0]);
      header.remove_prefix(1);
      if (source.width > kMaxPackedWidth || (source.width > 0 && source.remaining > (uint64_t{1} << 58))) {
        return Malformed("bad bit-packed number width");
      }
    } else if (source.mode != NumberMode::kCodes) {
      return Malformed("unknown number mode");
    }
    Status s = GetPackedStream(block, scratch->Next(), &source.bytes, dictionary);
    if (!s.ok()) return Malformed(s.message());
    if (source.mode == NumberMode::kBitPacked) {
      if (source.bytes.size() != (source.remaining * static_cast<uint64_t>(source.width) + 7) / 8) {
        return Malformed("bit-packed numbers of the wrong size");
      }
      source.packed = BitReader(source.bytes);
    }
    out->numbers.push_back(source);
  }
  if (!header.empty()) return Malformed("trailing number context bytes");
  return Status::OK();
}

// Reads the streams of `block`, decompressing into thread-local scratch.
Status GetStreams(std::string_view block, TextTemplateLayout layout, const ZstdDictionary* dictionary,
                  BlockStreams* out) {
  thread_local StreamScratch scratch;
  scratch.Reset();
  out->numbers.clear();
  out->number_keys.clear();
  for (size_t s = 0; s < kStreamCount; ++s) {
    Status status = GetPackedStream(&block, scratch.Next(), &out->streams[s], dictionary);
    if (!status.ok()) return Malformed(status.message());
    if (s != kNumbers) continue;
    if (layout == TextTemplateLayout::kOneNumberStream) {
      NumberSource source;
      source.counted = false;
      source.bytes = out->streams[s];
      out->numbers.push_back(source);
    } else {
      OTELSTACK_RETURN_IF_ERROR(GetNumberContexts(out->streams[s], &block, dictionary, &scratch, out));
    }
  }
  if (!block.empty()) return Malformed("trailing bytes");
  return Status::OK();
}

// A template parsed for decoding: literal text followed by a variable
// (marker) or, for the last segment, by nothing (marker 0).
struct Segment {
  std::string_view literal;
  char marker;
  uint32_t context = 0;  // a number marker's: index of its NumberSource
};

// The templates of a block as segment lists: template t is segments
// [starts[t], starts[t + 1]). max_bytes[t] bounds the text of a row of
// template t without its string and hex variables; has_bytes[t] says
// whether it has any.
struct ParsedTemplates {
  std::vector<Segment> segments;
  std::vector<uint32_t> starts;
  std::vector<size_t> max_bytes;
  std::vector<bool> has_bytes;
};

// Which number context each number marker reads (BlockStreams::numbers):
// by key with number contexts, else the one stream.
class NumberContextLookup {
 public:
  // Fails when two contexts have the same key.
  Status Init(const BlockStreams& streams) {
    keys_ = &streams.number_keys;
    if (streams.number_keys.empty()) return Status::OK();
    table_.resize(size_t{1} << 16, 0);
    for (size_t k = 0; k < keys_->size(); ++k) {
      uint32_t& slot = table_[(*keys_)[k]];
      if (slot != 0) return Malformed("number contexts with the same key");
      slot = static_cast<uint32_t>(k + 1);
    }
    return Status::OK();
  }
  ~NumberContextLookup() {
    for (uint16_t key : *keys_) table_[key] = 0;  // only what Init set: the table stays zeroed for the next block
  }
  // False when the marker at `pos` of `tmpl` has no context.
  bool Find(std::string_view tmpl, size_t pos, uint32_t* context) const {
    if (keys_->empty()) {
      *context = 0;
      return true;
    }
    const uint32_t slot = table_[NumberContextKey(tmpl, pos)];
    *context = slot - 1;
    return slot != 0;
  }

 private:
  static thread_local std::vector<uint32_t> table_;  // key -> context + 1, 0 for none
  const std::vector<uint16_t>* keys_ = nullptr;
};
thread_local std::vector<uint32_t> NumberContextLookup::table_;

Status ParseTemplates(std::string_view in, const NumberContextLookup& contexts, ParsedTemplates* out) {
  uint64_t count;
  if (!GetVarint64(&in, &count) || count > in.size()) return Malformed("bad template count");
  std::vector<uint64_t> lengths(count);
  uint64_t total = 0;
  for (uint64_t& length : lengths) {
    if (!GetVarint64(&in, &length) || length > in.size()) return Malformed("bad template length");
    total += length;
  }
  if (total != in.size()) return Malformed("template bytes do not add up");
  out->segments.clear();
  out->starts.clear();
  out->max_bytes.clear();
  out->has_bytes.clear();
  for (uint64_t length : lengths) {
    out->starts.push_back(static_cast<uint32_t>(out->segments.size()));
    std::string_view tmpl = in.substr(0, length);
    in.remove_prefix(length);
    size_t literal = 0, max_bytes = 0;
    bool has_bytes = false;
    for (size_t i = 0; i < tmpl.size(); ++i) {
      if (!IsMarker(tmpl[i])) continue;
      uint32_t context = 0;
      if (tmpl[i] == kNumberMarker && !contexts.Find(tmpl, i, &context)) {
        return Malformed("a number without a context");
      }
      out->segments.push_back(Segment{tmpl.substr(literal, i - literal), tmpl[i], context});
      max_bytes += i - literal + (tmpl[i] == kNumberMarker ? kMaxNumberDigits : 0);
      has_bytes = has_bytes || tmpl[i] != kNumberMarker;
      literal = i + 1;
    }
    out->segments.push_back(Segment{tmpl.substr(literal), 0, 0});
    out->max_bytes.push_back(max_bytes + tmpl.size() - literal);
    out->has_bytes.push_back(has_bytes);
  }
  out->starts.push_back(static_cast<uint32_t>(out->segments.size()));
  return Status::OK();
}

// Output bytes go through a raw cursor into a growing scratch buffer:
// std::string::append per literal and variable cost more than the copies.
class OutputBuffer {
 public:
  explicit OutputBuffer(std::string* scratch) : buf_(scratch) {
    if (buf_->size() < 4096) buf_->resize(4096);
    cur_ = buf_->data();
  }

  // Makes room for `n` more bytes; returns the cursor to write at.
  char* Reserve(size_t n) {
    const size_t used = size();
    if (buf_->size() - used < n) {
      buf_->resize(std::max(buf_->size() * 2, used + n));
      cur_ = buf_->data() + used;
    }
    return cur_;
  }
  void Advance(char* to) { cur_ = to; }
  // Drops what was written after the first `n` bytes.
  void Truncate(size_t n) { cur_ = buf_->data() + n; }
  size_t size() const { return cur_ - buf_->data(); }
  std::string_view bytes() const { return std::string_view(buf_->data(), size()); }

 private:
  std::string* buf_;
  char* cur_;
};

// Writes rows, reading their variables from the numbers, lengths and
// strings streams in order.
class RowWriter {
 public:
  RowWriter(BlockStreams& streams, TextRows kind, OutputBuffer* out)
      : header_bytes_(kind == TextRows::kAnyValueStrings ? 2 : 0),
        numbers_(streams.numbers),
        lengths_(streams.streams[kLengths]),
        strings_(streams.streams[kStrings]),
        hex_bytes_(streams.streams[kHexBytes]),
        out_(out) {}

  Status Verbatim() {
    std::string_view value;
    OTELSTACK_RETURN_IF_ERROR(NextString(&value));
    char* p = out_->Reserve(value.size());
    std::memcpy(p, value.data(), value.size());
    out_->Advance(p + value.size());
    return Status::OK();
  }

  // The row's text; as a kString AnyValue (tag, length varint, text) for
  // kAnyValueStrings. The length is known only at the end; one byte is
  // reserved for it (bodies are mostly shorter than 128 bytes) and the text
  // moved when it needs more.
  // `max_bytes` bounds the text without string and hex variables; those are
  // bounded by what is left of their streams.
  Status FromTemplate(std::span<const Segment> segments, size_t max_bytes, bool has_bytes) {
    constexpr size_t kMaxVarint = 10;
    const size_t variable_bytes = has_bytes ? strings_.size() + 2 * hex_bytes_.size() : 0;
    char* const row = out_->Reserve(1 + kMaxVarint + max_bytes + variable_bytes);
    char* p = row + header_bytes_;
    for (const Segment& segment : segments) {
      std::memcpy(p, segment.literal.data(), segment.literal.size());
      p += segment.literal.size();
      if (segment.marker == kNumberMarker) {
        OTELSTACK_RETURN_IF_ERROR(WriteNumber(numbers_[segment.context], &p));
      } else if (segment.marker == kStringMarker) {
        std::string_view value;
        OTELSTACK_RETURN_IF_ERROR(NextString(&value));
        std::memcpy(p, value.data(), value.size());
        p += value.size();
      } else if (segment.marker == kHexMarker) {
        OTELSTACK_RETURN_IF_ERROR(WriteHex(&p));
      }
    }
    if (header_bytes_ == 0) {
      out_->Advance(p);
      return Status::OK();
    }
    row[0] = static_cast<char>(anyvalue::Tag::kString);
    const size_t length = p - row - 2;
    if (length < 0x80) {
      row[1] = static_cast<char>(length);
    } else {
      std::string prefix;
      PutVarint64(&prefix, length);
      std::memmove(row + 1 + prefix.size(), row + 2, length);
      std::memcpy(row + 1, prefix.data(), prefix.size());
      p += prefix.size() - 1;
    }
    out_->Advance(p);
    return Status::OK();
  }

  bool UsedUp() const {
    return std::all_of(numbers_.begin(), numbers_.end(), [](const NumberSource& n) { return n.UsedUp(); }) &&
           lengths_.empty() && strings_.empty() && hex_bytes_.empty();
  }

 private:
  // Writes the next number of `numbers` (at most kMaxNumberDigits bytes) at
  // *p and advances it.
  Status WriteNumber(NumberSource& numbers, char** p) {
    uint64_t code;
    if (!numbers.NextCode(&code)) return Malformed("numbers stream ends early");
    const uint64_t value = code >> 1;
    if (value >= kNumberLimit) return Malformed("number out of range");
    char digits[20];
    const size_t count = std::to_chars(digits, digits + sizeof(digits), value).ptr - digits;
    if (code & 1) {
      uint64_t width;
      if (!GetVarint64(&numbers.bytes, &width) || width > kMaxNumberDigits || width <= count) {
        return Malformed("bad padded number width");
      }
      std::memset(*p, '0', width - count);
      *p += width - count;
    }
    std::memcpy(*p, digits, count);
    *p += count;
    return Status::OK();
  }

  // Writes a hex variable's bytes as lowercase hex text at *p.
  Status WriteHex(char** p) {
    static constexpr char kDigits[] = "0123456789abcdef";
    uint64_t length;
    if (!GetVarint64(&lengths_, &length)) return Malformed("lengths stream ends early");
    if (length > hex_bytes_.size()) return Malformed("hex stream ends early");
    char* out = *p;
    for (size_t i = 0; i < length; ++i) {
      const auto b = static_cast<unsigned char>(hex_bytes_[i]);
      *out++ = kDigits[b >> 4];
      *out++ = kDigits[b & 15];
    }
    hex_bytes_.remove_prefix(length);
    *p = out;
    return Status::OK();
  }

  Status NextString(std::string_view* value) {
    uint64_t length;
    if (!GetVarint64(&lengths_, &length)) return Malformed("lengths stream ends early");
    if (length > strings_.size()) return Malformed("strings stream ends early");
    *value = strings_.substr(0, length);
    strings_.remove_prefix(length);
    return Status::OK();
  }

  const size_t header_bytes_;  // tag and one length byte before the text, or none
  std::vector<NumberSource>& numbers_;
  std::string_view lengths_, strings_, hex_bytes_;
  OutputBuffer* out_;
};

// Writes the templates stream (`found`, listed as below) and the rows stream
// (row_codes: 0 = verbatim, k >= 1 = found[k - 1], renumbered to the list).
void PutTemplatesAndRows(const std::vector<std::string_view>& found, const std::vector<uint32_t>& row_codes,
                         const StreamCompression& compression, std::string* header, std::string* rows,
                         TextTemplateLayout* layout) {
  // Templates are listed in an order that is about the same from granule to
  // granule, so that a part dictionary (zstd_dictionary.h) made of another
  // granule's list matches long runs of this one: the frequent templates
  // (kFrequentUses or more rows) first, then the others, each group sorted.
  // The frequent ones, most of the rows, then have small ids (one varint
  // byte below 128), as in order of first use.
  constexpr uint32_t kFrequentUses = 64;
  std::vector<uint32_t> order(found.size());
  for (uint32_t k = 0; k < order.size(); ++k) order[k] = k;
  std::vector<uint32_t> uses(found.size() + 1, 0);
  for (uint32_t code : row_codes) ++uses[code];
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const bool frequent_a = uses[a + 1] >= kFrequentUses, frequent_b = uses[b + 1] >= kFrequentUses;
    return frequent_a != frequent_b ? frequent_a : found[a] < found[b];
  });
  std::vector<uint32_t> code_of(found.size() + 1, 0);  // old row code -> new
  std::vector<std::string_view> templates(found.size());
  for (uint32_t k = 0; k < order.size(); ++k) {
    templates[k] = found[order[k]];
    code_of[order[k] + 1] = k + 1;
  }
  // The codes as varints for zstd, or rANS-coded when they look like
  // independent draws and that is smaller than zstd's form (a table per
  // block costs more than zstd's for the few rows of an attribute's paths).
  rows->clear();
  for (uint32_t code : row_codes) PutVarint64(rows, code_of[code]);
  *layout = TextTemplateLayout::kNumberContexts;
  std::vector<uint16_t> codes;
  if (templates.size() < kRansMaxAlphabet) {
    codes.reserve(row_codes.size());
    for (uint32_t code : row_codes) codes.push_back(static_cast<uint16_t>(code_of[code]));
  }
  std::string coded;
  if (!codes.empty() && RansEncodeIfIndependent(codes, templates.size() + 1, &coded)) {
    // What PutPackedStream would write for the varints: both sizes, then
    // the compressed bytes.
    const size_t stored = CompressedSize(*rows, compression);
    if (coded.size() < VarintLength(rows->size()) + VarintLength(stored) + stored) {
      *rows = std::move(coded);
      *layout = TextTemplateLayout::kCodedRows;
    }
  }
  PutVarint64(header, templates.size());
  size_t template_bytes = 0;
  for (std::string_view t : templates) {
    PutVarint64(header, t.size());
    template_bytes += t.size();
  }
  header->reserve(header->size() + template_bytes);
  for (std::string_view t : templates) header->append(t);
}

}  // namespace

bool EncodeTextTemplateColumn(const BytesColumnView& values, TextRows kind, const StreamCompression& compression,
                              size_t size_limit, std::string* out, TextTemplateLayout* layout, TextSplitSink* sink) {
  out->clear();
  const size_t n = values.size();
  TemplateSplitter splitter(sink);
  StringIndex template_index;              // template -> index in `templates`
  std::deque<std::string> template_store;  // the templates template_index views
  std::vector<uint32_t> row_codes;         // per row: 0 = verbatim, k >= 1 = template_index's k - 1
  row_codes.reserve(n);
  std::string_view tmpl;
  size_t verbatim_rows = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::string_view value = values.value(i);
    std::string_view text = value;
    const bool qualifies = kind == TextRows::kRawText || StringText(value, &text);
    if (!qualifies || !splitter.Split(text, &tmpl)) {
      if (sink != nullptr) sink->Verbatim(value);
      splitter.AddVerbatim(value);
      row_codes.push_back(0);
      if (static_cast<double>(++verbatim_rows) > (1 - kMinTemplatedShare) * static_cast<double>(n)) return false;
      continue;
    }
    uint32_t id = template_index.Find(tmpl);
    if (id == StringIndex::kAbsent) {
      template_store.emplace_back(tmpl);
      id = template_index.Insert(template_store.back()).first;
      if (sink != nullptr) PassTemplateWords(tmpl, sink);
    }
    row_codes.push_back(id + 1);
  }
  if (sink != nullptr) sink->TextComplete();
  PutTemplatesAndRows(template_index.keys(), row_codes, compression, &splitter.streams()[kTemplates],
                      &splitter.streams()[kRows], layout);

  size_t raw_total = splitter.numbers().RawSize();
  for (const std::string& s : splitter.streams()) raw_total += s.size() + 2 * VarintLength(s.size());
  if (raw_total >= size_limit) return false;
  if (!PutStreams(splitter.streams(), splitter.numbers(), *layout, compression, out).ok()) {
    out->clear();
    return false;
  }
  return true;
}

namespace {

// Decodes every row, or only those *selected names (the others are read and
// checked, then dropped).
Status DecodeRows(std::string_view block, TextTemplateLayout layout, TextRows kind, size_t rows,
                  const ZstdDictionary* dictionary, const std::span<const uint32_t>* selected,
                  std::vector<uint32_t>* ends, std::string* data) {
  if (selected != nullptr && !IsRowSelection(*selected, rows)) {
    return Status::InvalidArgument("row selection out of order or range");
  }
  thread_local BlockStreams streams;
  OTELSTACK_RETURN_IF_ERROR(GetStreams(block, layout, dictionary, &streams));
  thread_local ParsedTemplates templates;
  {
    NumberContextLookup contexts;
    OTELSTACK_RETURN_IF_ERROR(contexts.Init(streams));
    OTELSTACK_RETURN_IF_ERROR(ParseTemplates(streams.streams[kTemplates], contexts, &templates));
  }
  const size_t template_count = templates.starts.size() - 1;
  const std::span<const Segment> segments(templates.segments);
  std::string_view codes = streams.streams[kRows];
  thread_local std::vector<uint16_t> coded_rows;
  if (layout == TextTemplateLayout::kCodedRows) {
    if (template_count + 1 > kRansMaxAlphabet) return Malformed("too many templates for coded rows");
    Status s = RansDecode(codes, rows, static_cast<uint32_t>(template_count + 1), &coded_rows);
    if (!s.ok()) return Malformed(s.message());
  }
  thread_local std::string scratch;
  OutputBuffer out(&scratch);
  RowWriter writer(streams, kind, &out);
  const size_t base = data->size();
  const size_t first_end = ends->size();
  ends->resize(first_end + (selected != nullptr ? selected->size() : rows));
  size_t emitted = 0;  // rows kept in `out`
  for (size_t i = 0; i < rows; ++i) {
    const size_t row_start = out.size();
    uint64_t code;
    if (layout == TextTemplateLayout::kCodedRows) {
      code = coded_rows[i];
    } else if (!GetVarint64(&codes, &code)) {
      return Malformed("rows stream ends early");
    }
    if (code > template_count) return Malformed("template index out of range");
    if (code == 0) {
      OTELSTACK_RETURN_IF_ERROR(writer.Verbatim());
    } else {
      const size_t t = code - 1;
      const uint32_t first = templates.starts[t];
      OTELSTACK_RETURN_IF_ERROR(writer.FromTemplate(segments.subspan(first, templates.starts[t + 1] - first),
                                                    templates.max_bytes[t], templates.has_bytes[t]));
    }
    if (selected != nullptr && (emitted == selected->size() || (*selected)[emitted] != i)) {
      out.Truncate(row_start);
      continue;
    }
    if (base + out.size() > 0xFFFFFFFFull) return Status::ResourceExhausted("bytes column exceeds 4 GiB");
    (*ends)[first_end + emitted++] = static_cast<uint32_t>(base + out.size());
  }
  const bool codes_used_up = layout == TextTemplateLayout::kCodedRows || codes.empty();  // RansDecode checked its own
  if (!codes_used_up || !writer.UsedUp()) return Malformed("streams not used up");
  data->append(out.bytes());
  return Status::OK();
}

}  // namespace

Status DecodeTextTemplateColumn(std::string_view block, TextTemplateLayout layout, TextRows kind, size_t rows,
                                std::vector<uint32_t>* ends, std::string* data, const ZstdDictionary* dictionary,
                                const std::span<const uint32_t>* selected) {
  const size_t ends_before = ends->size();
  Status status = DecodeRows(block, layout, kind, rows, dictionary, selected, ends, data);
  if (!status.ok()) ends->resize(ends_before);  // rows are appended to *data only on success
  return status;
}

}  // namespace otelstack

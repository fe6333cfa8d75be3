// The text-template encoding of log bodies (ColumnEncoding::kBytesTextTemplate).
//
// Log lines are mostly a few hundred message templates filled with numbers
// and ids: "Payment txn_9f3a41c2d07b5e66 declined: card expired",
// "GET /api/orders/4411 200 12.5ms". zstd over whole bodies pays for every
// number and every repeat of the surrounding text. This encoding splits each
// body into a template (the text with its variables replaced by markers) and
// the variables, and stores the granule's templates once, each row's
// template index, and the variables in typed streams: numbers as varints,
// lowercase hex ids as bytes, other variables as strings. Each stream is zstd-compressed on its own
// (streams have very different statistics; one frame over all of them
// compresses worse).
//
// Rows are either AnyValue-encoded (common/any_value.h; log bodies) or raw
// text (string attribute values inside a shredded attribute map). An
// AnyValue row qualifies when it is a kString value with a minimal length
// varint; a row qualifies when its text holds no marker byte (0x11, 0x12,
// 0x13). Any other row is stored verbatim, so every column round-trips byte
// for byte. Which of the two row kinds a block holds is not recorded in the
// block: it follows from where the block is (see column_codec.h).
//
// Block layout (TextTemplateLayout::kNumberContexts, written now): six
// streams, in this order, each a packed stream (column_codec.h: raw_size
// varint, stored_size varint, stored_size bytes, where stored_size <
// raw_size means a zstd frame of raw_size bytes and stored_size == raw_size
// means the raw bytes themselves), the third followed by more (see
// "numbers"):
//   templates  template_count varint, template_count x length varint, then
//              the templates' bytes. A template is text in which byte 0x11
//              stands for a number variable, 0x12 for a string variable and
//              0x13 for a hex variable.
//   rows       per row a varint: 0 = verbatim, k >= 1 = template k - 1
//   numbers    the number variables by context: a number variable's
//              context is the two template bytes before its marker (0 for
//              bytes before the start), so that the numbers of one slot of a
//              message ("ORD-#", "partition #", "#.#ms") share a stream with
//              the same statistics instead of one stream mixing them all.
//              This stream: context_count varint, then per context: key (the
//              two bytes, in template order), mode u8, value count varint,
//              and for mode 1 min varint and width u8. Then, after this
//              stream, each context's own packed stream, in that order:
//                mode 0: per number its code, varint (value << 1 | padded),
//                        and when padded a varint digit count
//                        (2..kMaxNumberDigits): the decimal digits of value
//                        with leading zeros up to that count. An unpadded
//                        value is written without leading zeros.
//                mode 1: no padded numbers; value - min in `width` bits
//                        (<= 56) per number, least significant bit first,
//                        ceil(count * width / 8) bytes (uniform ids and
//                        counters cost their range's bits, not zstd's).
//              The layout TextTemplateLayout::kOneNumberStream (blocks
//              written before, read only) has instead one stream of every
//              number's mode 0 code, in row order.
//   lengths    per string variable, hex variable and verbatim row, in row
//              order: byte length varint
//   strings    the bytes of string variables and verbatim rows, concatenated
//   hex bytes  the bytes of hex variables, concatenated; a hex variable of
//              n bytes reads as 2n lowercase hex digits
// Decoding walks each row's template, takes its variables from the streams in
// order, and writes the row as a kString AnyValue; every stream must be used
// up exactly.
//
// How text is split into template and variables is the encoder's choice
// (see text_template_codec.cc) and not part of the format: decoders only
// follow the templates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/zstd_dictionary.h"

namespace otelstack {

struct BytesColumnView;

inline constexpr size_t kMaxNumberDigits = 18;  // 10^18 << 1 fits in 64 bits

// Receives a column's text as the template encoder splits it, so that the
// token index need not scan it again (SkipIndexBuilder::TextValuesOf). A row
// reaches it either as Verbatim(value) (the stored value, not split), or as
// Text(t) for each variable token of the row plus, the first time its
// template occurs, each word of the template: the tokens of a row are the
// tokens of those pieces, since a word cannot touch a variable token
// (template words are separated from variables by bytes outside tokens).
// TextComplete() follows only when every row was passed; an encoder that
// gives up may have passed some.
//
// A variable token without upper-case letters arrives as its search tokens
// in folded form (see skip_index/tokenizer.h), each as Token(t) instead of
// the whole as Text(t): its runs of lower-case letters, digits and bytes
// >= 0x80 between the '.', '-' and '_' that template tokens may hold and
// search splits at. The index then hashes them without splitting and
// folding them again.
class TextSplitSink {
 public:
  virtual void Text(std::string_view text) = 0;
  virtual void Token(std::string_view token) = 0;
  virtual void Verbatim(std::string_view value) = 0;
  virtual void TextComplete() = 0;

 protected:
  ~TextSplitSink() = default;
};

// Which block layout (see above) a block has; the encoder writes
// kNumberContexts. The layout is not recorded in the block: it follows from
// the encoding that holds it (column_codec.h).
enum class TextTemplateLayout {
  kOneNumberStream,
  kNumberContexts,
  // kNumberContexts with the rows stream holding the row codes as a rANS
  // stream (rans_codec.h; alphabet = template count + 1), stored as it is:
  // written when the codes look like independent draws.
  kCodedRows,
};

enum class TextRows {
  kAnyValueStrings,  // each row an AnyValue; decoded rows are kString AnyValues
  kRawText,          // each row the text itself
};

// Encodes `values` (REQUIRES: non-empty) in layout kNumberContexts into *out,
// compressing each stream as `compression` says when that saves space.
// Returns false (with *out cleared) when the encoding would not be smaller
// than `size_limit` bytes before compression, or when most rows do not
// qualify: the caller then uses another encoding.
// Passes the rows to `sink` when not null (see TextSplitSink).
// Sets *layout to the layout written (kNumberContexts or kCodedRows).
bool EncodeTextTemplateColumn(const BytesColumnView& values, TextRows kind, const StreamCompression& compression,
                              size_t size_limit, std::string* out, TextTemplateLayout* layout,
                              TextSplitSink* sink = nullptr);

// Appends `rows` values to *data and their end offsets to *ends, as
// DecodeBytesColumn does (with the part dictionary the block's streams refer
// to, if any), or only the values of the rows *selected names (a row
// selection, column_codec.h). Returns Corruption for a malformed block.
Status DecodeTextTemplateColumn(std::string_view block, TextTemplateLayout layout, TextRows kind, size_t rows,
                                std::vector<uint32_t>* ends, std::string* data,
                                const ZstdDictionary* dictionary = nullptr,
                                const std::span<const uint32_t>* selected = nullptr);

}  // namespace otelstack

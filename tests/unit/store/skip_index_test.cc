// Skip indexes as stored in parts: filters out of the footer, found by token
// and trace id, and damage that costs pruning but never hides rows.
#include "store/skip_index/skip_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/any_value.h"
#include "common/any_value_json.h"
#include "common/file_util.h"
#include "common/hash.h"
#include "common/varint.h"
#include "store/column_codec.h"
#include "store/decimal.h"
#include "store/part_reader.h"
#include "store/part_writer.h"
#include "store/skip_index/ribbon_filter.h"
#include "store/skip_index/token_bloom.h"
#include "store/skip_index/tokenizer.h"
#include "test_util/part_file.h"
#include "test_util/temp_dir.h"

namespace otelstack {
namespace {

// 4 granules of 100 logs; granule g's bodies mention "word<g>", and granule
// 2 holds one trace id.
RowBatch Logs() {
  RowBatch b(Signal::kLogs);
  for (int r = 0; r < 400; ++r) {
    b.SetU64(logs_col::kTimestamp, 1000 + r);
    std::string body;
    anyvalue::AppendString(&body, "GET /api user-" + std::to_string(r) + " word" + std::to_string(r / 100));
    b.SetBytes(logs_col::kBody, body);
    if (r == 250) b.SetBytes(logs_col::kTraceId, std::string(16, '\x42'));
    b.FinishRow();
  }
  return b;
}

class SkipIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PartWriteOptions options;
    options.granule_rows = 100;
    ASSERT_TRUE(WritePart(path_, Logs(), options, nullptr).ok());
  }
  std::unique_ptr<PartReader> Open() {
    std::unique_ptr<PartReader> reader;
    Status s = PartReader::Open(path_, &reader);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return reader;
  }
  test::TempDir dir_;
  std::string path_ = dir_.Sub("p.part");
};

TEST_F(SkipIndexTest, FiltersFindTokensAndTraceIds) {
  auto reader = Open();
  ASSERT_EQ(reader->granule_count(), 4u);
  const SkipIndex& index = reader->skip_index();
  // Tokens of other granules and tokens of none are pruned but for the
  // filters' false positives (about 3.1%).
  int probes = 0, false_positives = 0;
  for (size_t g = 0; g < 4; ++g) {
    EXPECT_TRUE(index.MayContainToken(g, tokens::KeyOf("api")));
    EXPECT_TRUE(index.MayContainToken(g, tokens::KeyOf("WORD" + std::to_string(g))));  // case-folded
    for (int r = 0; r < 400; ++r) {
      const std::string user = "user-" + std::to_string(r);
      if (static_cast<size_t>(r / 100) == g) {
        EXPECT_TRUE(index.MayContainToken(g, tokens::KeyOf(std::to_string(r)))) << user;
      } else {
        ++probes;
        false_positives += index.MayContainToken(g, tokens::KeyOf(std::to_string(r)));
      }
    }
    for (size_t other = 0; other < 4; ++other) {
      if (other != g) {
        ++probes;
        false_positives += index.MayContainToken(g, tokens::KeyOf("word" + std::to_string(other)));
      }
    }
    for (int i = 0; i < 1000; ++i) {
      ++probes;
      false_positives += index.MayContainToken(g, tokens::KeyOf("absent" + std::to_string(i)));
    }
    EXPECT_EQ(index.MayContainTraceId(g, TraceIdHash(std::string(16, '\x42'))), g == 2);
  }
  EXPECT_LT(false_positives * 100, probes * 4) << false_positives << " of " << probes;
  // The footer holds only the filters' locations (a few bytes per granule).
  ASSERT_TRUE(reader->section(kTokenFilterSection).has_value());
  EXPECT_FALSE(reader->section(kTokenBloomSection).has_value());
  EXPECT_LT(reader->section(kTokenFilterSection)->size(), 4u * 17 + 8);
}

TEST_F(SkipIndexTest, DamagedFilterPrunesNothing) {
  auto reader = Open();
  // Granule 1's token filter, through the location the footer gives.
  std::string_view section = *reader->section(kTokenFilterSection);
  uint64_t count = 0, format = 0, offset = 0, size = 0;
  ASSERT_TRUE(GetVarint64(&section, &count));
  for (int g = 0; g <= 1; ++g) {
    ASSERT_TRUE(GetVarint64(&section, &format));
    ASSERT_EQ(format, static_cast<uint64_t>(SkipIndexBuilder::kTokenFilterFormat));
    ASSERT_TRUE(GetVarint64(&section, &offset));
    ASSERT_TRUE(GetVarint64(&section, &size));
    section.remove_prefix(8);
  }
  reader.reset();
  std::string bytes;
  ASSERT_TRUE(ReadFile(path_, &bytes).ok());
  // Granule 1's filter: the size of its first ribbon and that ribbon's
  // header, then all zero bits.
  for (uint64_t i = 8; i < size; ++i) bytes[offset + i] = 0;
  ASSERT_TRUE(WriteFileAtomic(path_, bytes, 0600).ok());
  reader = Open();
  // A zeroed filter would rule out nearly everything; its checksum fails, so
  // it rules out nothing instead.
  EXPECT_TRUE(reader->skip_index().MayContainToken(1, tokens::KeyOf("word1")));
  EXPECT_TRUE(reader->skip_index().MayContainToken(1, tokens::KeyOf("word3")));
  EXPECT_FALSE(reader->skip_index().MayContainToken(0, tokens::KeyOf("word3")));  // others still prune
}

// A file of filters for SkipIndex::Parse: granule g's filter at its offset,
// then the location section (in the current layout, or the earlier one
// without formats).
struct FilterFile {
  std::string body;
  std::vector<FilterLocation> locations;
  void Add(FilterFormat format, const std::string& filter) {
    locations.push_back({format, body.size(), filter.size(), XXH3_64bits(filter.data(), filter.size())});
    body += filter;
  }
  std::string CurrentSection() const { return SkipIndexBuilder::LocationSection(kTokenFilterSection, locations).bytes; }
  std::string BloomSection() const {
    std::string out;
    PutVarint64(&out, locations.size());
    for (const FilterLocation& l : locations) {
      PutVarint64(&out, l.offset);
      PutVarint64(&out, l.size);
      PutFixed64(&out, l.checksum);
    }
    return out;
  }
};

// A Bloom filter of `hashes` as parts before ribbon filters wrote them (the
// rule token_bloom.h documents, 8 bits per hash).
std::string BloomOf(const std::vector<uint64_t>& hashes) {
  const uint64_t bits = (hashes.size() * 8 + 63) / 64 * 64;
  std::string out(bits / 8, '\0');
  for (uint64_t h : hashes) {
    uint32_t h1 = static_cast<uint32_t>(h), h2 = static_cast<uint32_t>(h >> 32) | 1;
    for (uint32_t i = 0; i < kTokenBloomProbes; ++i) {
      uint64_t bit = static_cast<uint32_t>(h1 + i * h2) % bits;
      out[bit / 8] = static_cast<char>(out[bit / 8] | (1 << (bit % 8)));
    }
  }
  return out;
}

std::string RibbonOf(const std::vector<uint64_t>& hashes) {
  std::string out;
  EXPECT_TRUE(RibbonFilterBuilder().Build(hashes, kTokenFilterResultBits, &out));
  return out;
}

std::vector<uint64_t> WordHashes(const std::string& prefix) {
  std::vector<uint64_t> out;
  for (int i = 0; i < 200; ++i) out.push_back(tokens::TokenHash(prefix + std::to_string(i)));
  return out;
}

// Parts written before ribbon filters hold Bloom filters under the earlier
// section kinds; merges copy those filters into parts of the current layout,
// where one part then holds both formats.
TEST(SkipIndexFormatsTest, BloomFiltersOfEarlierPartsAndMixedPartsStillPrune) {
  FilterFile file;
  file.Add(FilterFormat::kBloom, BloomOf(WordHashes("alpha")));
  file.Add(FilterFormat::kBloom, BloomOf(WordHashes("beta")));
  const std::string bloom_section = file.BloomSection();
  SkipIndex earlier;
  ASSERT_TRUE(earlier.Parse(file.body, file.body.size(), {std::nullopt, bloom_section}, {}, 2).ok());
  EXPECT_TRUE(earlier.MayContainToken(0, tokens::KeyOf("alpha7")));
  int pruned = 0;
  for (uint64_t h : WordHashes("gamma")) pruned += !earlier.MayContainToken(0, {h, false});
  EXPECT_GT(pruned, 180) << "of 200, with 2.3% false positives";
  EXPECT_TRUE(earlier.MayContainToken(1, tokens::KeyOf("beta7")));
  EXPECT_TRUE(earlier.MayContainTraceId(1, 42)) << "no trace-id section: nothing is pruned";

  file.Add(FilterFormat::kRibbon, RibbonOf(WordHashes("gamma")));
  const std::string current_section = file.CurrentSection();
  SkipIndex mixed;
  ASSERT_TRUE(mixed.Parse(file.body, file.body.size(), {current_section, std::nullopt}, {}, 3).ok());
  int pruned_elsewhere = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string n = std::to_string(i);
    ASSERT_TRUE(mixed.MayContainToken(0, tokens::KeyOf("alpha" + n)));
    ASSERT_TRUE(mixed.MayContainToken(1, tokens::KeyOf("beta" + n)));
    ASSERT_TRUE(mixed.MayContainToken(2, tokens::KeyOf("gamma" + n)));
    pruned_elsewhere += !mixed.MayContainToken(0, tokens::KeyOf("gamma" + n));
    pruned_elsewhere += !mixed.MayContainToken(2, tokens::KeyOf("alpha" + n));
  }
  EXPECT_GT(pruned_elsewhere, 360);
  EXPECT_EQ(mixed.StoredTokenFilter(0).format, FilterFormat::kBloom);
  EXPECT_EQ(mixed.StoredTokenFilter(2).format, FilterFormat::kRibbon);
}

// A ribbon filter whose header does not parse prunes nothing even when its
// checksum matches (it was written so), and so does a filter of a format a
// later writer may add: the part stays readable.
TEST(SkipIndexFormatsTest, MalformedRibbonsAndUnknownFormatsPruneNothing) {
  FilterFile file;
  std::string filter = RibbonOf(WordHashes("alpha"));
  filter[0] = 0;  // zero result bits
  file.Add(FilterFormat::kRibbon, filter);
  const std::string section = file.CurrentSection();
  SkipIndex index;
  ASSERT_TRUE(index.Parse(file.body, file.body.size(), {section, std::nullopt}, {}, 1).ok());
  EXPECT_TRUE(index.MayContainToken(0, tokens::KeyOf("anything")));

  FilterFile later;
  later.Add(FilterFormat::kRibbon, RibbonOf(WordHashes("alpha")));
  SkipIndex known;
  const std::string known_section = later.CurrentSection();
  ASSERT_TRUE(known.Parse(later.body, later.body.size(), {known_section, std::nullopt}, {}, 1).ok());
  EXPECT_FALSE(known.MayContainToken(0, tokens::KeyOf("anything")));  // the same filter, known: prunes
  later.locations[0].format = static_cast<FilterFormat>(3);
  const std::string unknown_section = later.CurrentSection();
  SkipIndex unknown;
  ASSERT_TRUE(unknown.Parse(later.body, later.body.size(), {unknown_section, std::nullopt}, {}, 1).ok());
  EXPECT_TRUE(unknown.MayContainToken(0, tokens::KeyOf("anything")));
  EXPECT_TRUE(unknown.StoredTokenFilter(0).bytes.empty()) << "a merge copies it as no filter";
}

// Attribute maps repeated row after row (a resource's attributes) are
// tokenized once per granule: every granule that holds the map must still
// find its values, and a granule without it must not.
TEST(SkipIndexBuilderTest, RepeatedAttributeMapsAreIndexedInEveryGranule) {
  auto map_of = [](const std::string& pod) {
    std::string map;
    anyvalue::AppendKey(&map, "k8s.pod.name");
    anyvalue::AppendString(&map, pod);
    return map;
  };
  RowBatch b(Signal::kLogs);
  for (int r = 0; r < 300; ++r) {
    b.SetU64(logs_col::kTimestamp, 1000 + r);
    // Granules 0 and 1 alternate two pods; granule 2 has a third one only.
    b.SetBytes(logs_col::kResourceAttributes, map_of(r < 200 ? (r % 2 ? "pod-alpha" : "pod-beta") : "pod-gamma"));
    b.FinishRow();
  }
  test::TempDir dir;
  const std::unique_ptr<PartReader> reader = test::WriteAndOpenPart(b, dir.Sub("p.part"), 100);
  ASSERT_NE(reader, nullptr);
  const SkipIndex& index = reader->skip_index();
  for (size_t g = 0; g < 3; ++g) {
    EXPECT_EQ(index.MayContainToken(g, tokens::KeyOf("alpha")), g < 2) << g;
    EXPECT_EQ(index.MayContainToken(g, tokens::KeyOf("beta")), g < 2) << g;
    EXPECT_EQ(index.MayContainToken(g, tokens::KeyOf("gamma")), g == 2) << g;
    EXPECT_TRUE(index.MayContainToken(g, tokens::KeyOf("pod"))) << g;
  }
}

// Attribute values that repeat within a granule are tokenized once (a cache
// of recent values); every value must still reach its granule's filter: in
// a later granule again, after the cache evicted it, and whatever its type.
TEST(SkipIndexBuilderTest, EveryAttributeValueIsIndexedInItsGranule) {
  constexpr int kGranuleRows = 6000;  // more distinct values than the cache has slots
  auto attributes = [](int r) {
    std::string map;
    size_t h = anyvalue::BeginKvList(&map);
    anyvalue::AppendKey(&map, "http.method");
    anyvalue::AppendString(&map, r % 2 ? "GET" : "POST");
    anyvalue::AppendKey(&map, "request.id");
    anyvalue::AppendString(&map, "req" + std::to_string(r));  // unique: evicts the cache
    anyvalue::AppendKey(&map, "http.status_code");
    anyvalue::AppendInt(&map, 200 + r % 7);
    anyvalue::AppendKey(&map, "duration_ms");
    anyvalue::AppendDouble(&map, 1.5 + r % 11);
    anyvalue::AppendKey(&map, "granule.marker");
    anyvalue::AppendString(&map, "marker" + std::to_string(r / kGranuleRows));
    // Non-finite doubles render as words with capitals ("NaN", "-Infinity"),
    // which must be folded like text.
    anyvalue::AppendKey(&map, "ratio");
    anyvalue::AppendDouble(&map,
                           r % 2 ? std::numeric_limits<double>::quiet_NaN() : -std::numeric_limits<double>::infinity());
    anyvalue::EndList(&map, h, 6);
    return map;
  };
  RowBatch b(Signal::kLogs);
  for (int r = 0; r < 2 * kGranuleRows; ++r) {
    b.SetU64(logs_col::kTimestamp, 1000 + r);
    b.SetBytes(logs_col::kLogAttributes, attributes(r));
    b.FinishRow();
  }
  test::TempDir dir;
  const std::unique_ptr<PartReader> reader = test::WriteAndOpenPart(b, dir.Sub("p.part"), kGranuleRows);
  ASSERT_NE(reader, nullptr);
  const SkipIndex& index = reader->skip_index();
  ASSERT_EQ(reader->granule_count(), 2u);
  for (size_t g = 0; g < 2; ++g) {
    for (const char* token : {"get", "post", "200", "206", "1", "5", "11", "nan", "infinity"}) {
      EXPECT_TRUE(index.MayContainToken(g, tokens::KeyOf(token))) << token << " in granule " << g;
    }
    EXPECT_TRUE(index.MayContainToken(g, tokens::KeyOf("marker" + std::to_string(g))));
    for (int r = static_cast<int>(g) * kGranuleRows; r < static_cast<int>(g + 1) * kGranuleRows; r += 97) {
      EXPECT_TRUE(index.MayContainToken(g, tokens::KeyOf("req" + std::to_string(r)))) << r << " in " << g;
    }
  }
}

// The rows of the long-number tests: one granule.
constexpr int kLongNumberRows = 8192;

// Logs of kLongNumberRows rows: a card number in each body, and a
// duration_ms attribute of durations[r] (plus a user id).
RowBatch LogsWithCardsAndDurations(const std::vector<double>& durations) {
  RowBatch b(Signal::kLogs);
  for (int r = 0; r < kLongNumberRows; ++r) {
    std::string map;
    size_t h = anyvalue::BeginKvList(&map);
    anyvalue::AppendKey(&map, "duration_ms");
    anyvalue::AppendDouble(&map, durations[r]);
    anyvalue::AppendKey(&map, "user.id");
    anyvalue::AppendString(&map, "user-" + std::to_string(r * 7));
    anyvalue::EndList(&map, h, 2);
    b.SetU64(logs_col::kTimestamp, 1000 + r);
    std::string body;
    anyvalue::AppendString(&body, "card " + std::to_string(4000000000000000ull + r * 13));
    b.SetBytes(logs_col::kBody, body);
    b.SetBytes(logs_col::kLogAttributes, map);
    b.FinishRow();
  }
  return b;
}

// Every token of row r's text (its duration's text, its card number, its
// user id) must be found in the granule; returns how many are long numbers.
size_t ExpectEveryTokenFound(const SkipIndex& index, const std::vector<double>& durations) {
  std::string scratch;
  size_t long_numbers = 0;
  for (int r = 0; r < kLongNumberRows; ++r) {
    std::string_view view;
    anyvalue::Value v;
    v.tag = anyvalue::Tag::kDouble;
    v.d = durations[r];
    EXPECT_TRUE(anyvalue::ValueText(v, &scratch, &view).ok());
    const std::string text =
        std::string(view) + " " + std::to_string(4000000000000000ull + r * 13) + " user " + std::to_string(r * 7);
    tokens::ForEachToken(text, [&](std::string_view t) {
      long_numbers += tokens::IsLongNumber(t);
      EXPECT_TRUE(index.MayContainToken(0, tokens::KeyOf(t))) << t << " of row " << r;
    });
  }
  return long_numbers;
}

// Of kProbes absent long numbers, resp. absent words, how many granule 0 may
// contain.
constexpr int kProbes = 20000;
std::pair<size_t, size_t> AbsentFound(const SkipIndex& index) {
  size_t numbers = 0, words = 0;
  for (int i = 0; i < kProbes; ++i) {
    numbers += index.MayContainToken(0, tokens::KeyOf(std::to_string(9100000000000000ull + i)));
    words += index.MayContainToken(0, tokens::KeyOf("absent" + std::to_string(i)));
  }
  return {numbers, words};
}

// Long numbers (long ids in bodies, the fractions of doubles with up to 9
// fraction digits) go to the token filter's second, coarser ribbon: none is
// ever ruled out where it occurs, absent ones are ruled out about 3 times in
// 4, and the other tokens keep their precision.
TEST(SkipIndexLongNumbersTest, HaveACoarserFilterOfTheirOwn) {
  std::mt19937_64 rng(23);
  std::vector<double> durations;
  for (int r = 0; r < kLongNumberRows; ++r) {
    const int64_t nanos = std::uniform_int_distribution<int64_t>(1'000'000'000, 500'000'000'000)(rng);
    durations.push_back(static_cast<double>(nanos) / 1e9);  // 9 fraction digits at most
  }
  test::TempDir dir;
  const auto reader = test::WriteAndOpenPart(LogsWithCardsAndDurations(durations), dir.Sub("p.part"), kLongNumberRows);
  ASSERT_NE(reader, nullptr);
  const SkipIndex& index = reader->skip_index();
  const SkipIndex::StoredFilter stored = index.StoredTokenFilter(0);
  EXPECT_EQ(stored.format, FilterFormat::kRibbonWithNumbers);
  std::string_view tokens_filter, numbers_filter;
  ASSERT_TRUE(SplitRibbonWithNumbers(stored.bytes, &tokens_filter, &numbers_filter));
  EXPECT_FALSE(numbers_filter.empty());

  // The cards, and the few fractions Grisu2 prints with more digits than
  // the shortest form.
  const size_t long_numbers = ExpectEveryTokenFound(index, durations);
  EXPECT_GE(long_numbers, size_t{kLongNumberRows});
  EXPECT_LT(long_numbers, size_t{kLongNumberRows} + kLongNumberRows / 100);
  const auto [absent_numbers, absent_words] = AbsentFound(index);
  EXPECT_LT(absent_numbers, kProbes * 0.30) << "about 25 % false positives";
  EXPECT_GT(absent_numbers, kProbes * 0.20);
  EXPECT_LT(absent_words, kProbes * 0.045) << "about 3 % false positives";
}

// A double whose text has a fraction of 10 digits or more (a full-precision
// measurement) is indexed by the token of its integer part only, and its
// granule keeps no filter of long numbers: every long number may be there.
// Nothing present is ruled out, and the other tokens keep their precision.
TEST(SkipIndexLongNumbersTest, DoublesWithLongFractionsLeaveLongNumbersUnfiltered) {
  std::mt19937_64 rng(29);
  std::vector<double> durations;
  for (int r = 0; r < kLongNumberRows; ++r) {
    durations.push_back(std::uniform_real_distribution<double>(1, 500)(rng));
  }
  test::TempDir dir;
  const auto reader = test::WriteAndOpenPart(LogsWithCardsAndDurations(durations), dir.Sub("p.part"), kLongNumberRows);
  ASSERT_NE(reader, nullptr);
  const SkipIndex& index = reader->skip_index();
  std::string_view tokens_filter, numbers_filter;
  ASSERT_TRUE(SplitRibbonWithNumbers(index.StoredTokenFilter(0).bytes, &tokens_filter, &numbers_filter));
  EXPECT_TRUE(numbers_filter.empty());

  EXPECT_GT(ExpectEveryTokenFound(index, durations), size_t{kLongNumberRows} * 3 / 2) << "cards and fractions";
  const auto [absent_numbers, absent_words] = AbsentFound(index);
  EXPECT_EQ(absent_numbers, size_t{kProbes});
  EXPECT_LT(absent_words, kProbes * 0.045) << "about 3 % false positives";
  // Integer parts are tokens like any other (1 to 499 are found above):
  // other short numbers are ruled out but for false positives.
  size_t absent_integers = 0;
  for (int i = 600000; i < 600000 + kProbes; ++i) {
    absent_integers += index.MayContainToken(0, tokens::KeyOf(std::to_string(i)));
  }
  EXPECT_LT(absent_integers, kProbes * 0.045);
}

// What the index relies on to skip rendering such a double: when v (of
// magnitude in [1e-5, 1e5)) is not a decimal of at most 9 fraction digits,
// its text is "[-]<integer part of |v|>.<10 or more digits>". Checked on
// values of every magnitude in the range, on values next to integers and
// next to short decimals, and on short decimals themselves.
TEST(SkipIndexLongNumbersTest, TextOfADoubleWithoutShortDecimalFormHasALongFraction) {
  std::mt19937_64 rng(31);
  std::vector<double> values;
  for (int i = 0; i < 200000; ++i) {
    const double magnitude = std::pow(10.0, std::uniform_real_distribution<double>(-5, 5)(rng));
    values.push_back(i % 2 ? magnitude : -magnitude);
    const double integer = std::floor(magnitude);
    values.push_back(std::nextafter(integer, 0.0));
    values.push_back(std::nextafter(integer + 1, 1e6));
    const double short_decimal = std::round(magnitude * 1e9) / 1e9;
    values.push_back(short_decimal);
    values.push_back(std::nextafter(short_decimal, 0.0));
    values.push_back(std::nextafter(short_decimal, 1e6));
  }
  values.push_back(0.1 + 0.2);
  values.push_back(1e-5);
  values.push_back(std::nextafter(1e5, 0.0));
  std::string scratch;
  size_t long_fractions = 0;
  for (double v : values) {
    const double magnitude = std::fabs(v);
    int64_t scaled;
    if (!(magnitude >= 1e-5 && magnitude < 1e5) || DecimalAt(v, 9, &scaled)) continue;
    ++long_fractions;
    anyvalue::Value value;
    value.tag = anyvalue::Tag::kDouble;
    value.d = v;
    std::string_view text;
    ASSERT_TRUE(anyvalue::ValueText(value, &scratch, &text).ok());
    const std::string expected_integer = (v < 0 ? "-" : "") + std::to_string(static_cast<uint64_t>(magnitude)) + ".";
    ASSERT_EQ(text.substr(0, expected_integer.size()), expected_integer) << text;
    const std::string_view fraction = text.substr(expected_integer.size());
    ASSERT_TRUE(tokens::IsLongNumber(fraction)) << text;
  }
  EXPECT_GT(long_fractions, values.size() / 2);
}

// Logs whose attribute maps hold a value of every kind, nested ones too;
// row `not_a_map` holds a string instead. With `resources`, each row also
// has resource attributes of its own (not in dictionary form).
RowBatch LogsWithEveryKindOfAttribute(size_t rows, size_t not_a_map = SIZE_MAX, bool resources = false) {
  RowBatch b(Signal::kLogs);
  for (size_t r = 0; r < rows; ++r) {
    std::string map;
    size_t h = anyvalue::BeginKvList(&map);
    anyvalue::AppendKey(&map, "request.id");
    anyvalue::AppendString(&map, "req-" + std::to_string(r));
    anyvalue::AppendKey(&map, "http.status_code");
    anyvalue::AppendInt(&map, 200 + static_cast<int64_t>(r % 5));
    // Ints of few distinct values (above) reach the index once per value;
    // these, each of its own, outgrow the field's dictionary of ints.
    anyvalue::AppendKey(&map, "response.bytes");
    anyvalue::AppendInt(&map, 37 * static_cast<int64_t>(r));
    anyvalue::AppendKey(&map, "duration_ms");
    anyvalue::AppendDouble(&map, 0.25 * static_cast<double>(r));
    // Mostly a long fraction: indexed by its integer part only.
    anyvalue::AppendKey(&map, "load");
    anyvalue::AppendDouble(&map, static_cast<double>(r) / 7);
    anyvalue::AppendKey(&map, "cache.hit");
    anyvalue::AppendBool(&map, r % 3 == 0);
    anyvalue::AppendKey(&map, "payload");
    anyvalue::AppendBytes(&map, std::string("\x01\xff") + static_cast<char>(r));
    anyvalue::AppendKey(&map, "tags");
    size_t a = anyvalue::BeginArray(&map);
    anyvalue::AppendString(&map, "tag-" + std::to_string(r % 4));
    anyvalue::AppendInt(&map, static_cast<int64_t>(r));
    anyvalue::EndList(&map, a, 2);
    anyvalue::AppendKey(&map, "peer");
    size_t k = anyvalue::BeginKvList(&map);
    anyvalue::AppendKey(&map, "host");
    anyvalue::AppendString(&map, "host-" + std::to_string(r % 7));
    anyvalue::EndList(&map, k, 1);
    anyvalue::AppendKey(&map, "unset");
    anyvalue::AppendEmpty(&map);
    // String fields in each of the encodings that pass their text to the
    // index in another form: a dictionary (its entries), templates (split
    // text, rows holding a marker byte verbatim) and plain values (text
    // holding marker bytes in most rows, which the template encoder gives up
    // on part way).
    anyvalue::AppendKey(&map, "http.method");
    anyvalue::AppendString(&map, r % 3 == 0 ? "GET" : r % 3 == 1 ? "POST" : "DELETE");
    anyvalue::AppendKey(&map, "session");
    anyvalue::AppendString(&map, "Sess_" + std::to_string(r * 7919) + (r % 10 == 0 ? "\x11 marked" : " ok"));
    anyvalue::AppendKey(&map, "note");
    std::string note = "Note";
    for (size_t v = r + 1; v > 0; v /= 26) note += static_cast<char>('a' + v % 26);
    anyvalue::AppendString(&map, note + (r % 4 == 0 ? " of the Day" : "\x12 of the Night"));
    anyvalue::EndList(&map, h, 13);
    if (r == not_a_map) {
      map.clear();
      anyvalue::AppendString(&map, "plain text attributes");
    }
    b.SetU64(logs_col::kTimestamp, 1000 + r);
    b.SetBytes(logs_col::kLogAttributes, map);
    if (resources) {
      std::string resource;
      size_t rh = anyvalue::BeginKvList(&resource);
      anyvalue::AppendKey(&resource, "k8s.pod.name");
      anyvalue::AppendString(&resource, "pod-" + std::to_string(r));
      anyvalue::EndList(&resource, rh, 1);
      b.SetBytes(logs_col::kResourceAttributes, resource);
    }
    b.FinishRow();
  }
  return b;
}

// The same rows with only their timestamps (no bodies, no attributes).
RowBatch TimestampsOnly(const RowBatch& rows) {
  RowBatch b(Signal::kLogs);
  for (size_t r = 0; r < rows.rows(); ++r) {
    b.SetU64(logs_col::kTimestamp, rows.Time(r));
    b.FinishRow();
  }
  return b;
}

// The token filter of `batch`'s rows when the encoders of columns `cols`
// (attribute maps or Body), in that order, pass what they read to the
// builder first, as the part writer has them do, and BuildGranule then reads
// `indexed`.
std::string FilterThroughEncoder(const RowBatch& batch, std::vector<size_t> cols, const RowBatch& indexed) {
  SkipIndexBuilder builder(Signal::kLogs);
  for (size_t col : cols) {
    BytesEncodeOptions options;
    options.try_text_templates = col == logs_col::kBody;
    options.map_values = builder.AttributeValuesOf(col);
    options.text_values = builder.TextValuesOf(col);
    const BytesColumnView view{batch.BytesEnds(col), 0, batch.BytesData(col).data()};
    std::string block;
    EncodeBytesColumn(view, &block, options);
  }
  std::string filter, trace_ids;
  builder.BuildGranule(indexed, 0, indexed.rows(), &filter, &trace_ids);
  return filter;
}

std::string FilterOf(const RowBatch& batch) {
  SkipIndexBuilder builder(Signal::kLogs);
  std::string filter, trace_ids;
  builder.BuildGranule(batch, 0, batch.rows(), &filter, &trace_ids);
  return filter;
}

// The part writer lets the attribute maps' encoder pass their values to the
// token index instead of the index parsing the maps again: the filter must be
// the same bytes, and the index must then not read the column (so an encoder
// that passed every value is trusted, shown by indexing rows without maps).
TEST(SkipIndexBuilderTest, AttributeValuesPassedByTheEncoderMakeTheSameFilter) {
  const RowBatch batch = LogsWithEveryKindOfAttribute(500);
  const std::string expected = FilterOf(batch);
  ASSERT_NE(expected, FilterOf(TimestampsOnly(batch)));
  EXPECT_EQ(FilterThroughEncoder(batch, {logs_col::kLogAttributes}, batch), expected);
  EXPECT_EQ(FilterThroughEncoder(batch, {logs_col::kLogAttributes}, TimestampsOnly(batch)), expected);
}

// Each column's encoder is trusted for its own column only, whatever the
// order in which the columns are encoded.
TEST(SkipIndexBuilderTest, SeveralAttributeMapColumnsPassTheirValues) {
  const RowBatch batch = LogsWithEveryKindOfAttribute(500, SIZE_MAX, /*resources=*/true);
  const std::string expected = FilterOf(batch);
  const size_t logs = logs_col::kLogAttributes, resources = logs_col::kResourceAttributes;
  EXPECT_EQ(FilterThroughEncoder(batch, {resources, logs}, TimestampsOnly(batch)), expected);
  EXPECT_EQ(FilterThroughEncoder(batch, {logs, resources}, TimestampsOnly(batch)), expected);
  EXPECT_NE(FilterThroughEncoder(batch, {logs}, TimestampsOnly(batch)), expected);
}

// An encoder that gives up part way (a row that is not a map) has passed only
// some values: the index then reads the whole column itself.
TEST(SkipIndexBuilderTest, AttributeValuesOfAnAbandonedEncodingAreReadAgain) {
  const RowBatch batch = LogsWithEveryKindOfAttribute(500, /*not_a_map=*/250);
  const std::string expected = FilterOf(batch);
  EXPECT_EQ(FilterThroughEncoder(batch, {logs_col::kLogAttributes}, batch), expected);
  EXPECT_NE(FilterThroughEncoder(batch, {logs_col::kLogAttributes}, TimestampsOnly(batch)), expected);
}

// Log bodies of every shape the template encoder meets: words, numbers in
// and around words, ids (hex, UUIDs, base-36), addresses, non-ASCII text,
// a body holding a template marker byte, and bodies that are not strings.
RowBatch LogsWithBodies(size_t rows, bool mostly_structured = false) {
  const std::vector<std::string> shapes = {
      "GET /api/orders/{n} 200 {n}.5ms",
      "Payment txn_{hex} declined: card expired",
      "user-{n} logged in from 10.0.{n}.7 (v2beta, build 0{n})",
      "trace {hex}-{hex} span ORD-{n}-x finished",
      "Überweisung {n} abgelehnt für Kunde k{n}z",
      "retry {n}/5 after timeout; id=a1b2c3d4e5f6{n}",
      "cache miss for key \x11{n}",
      "CamelCaseWord and UPPER lower MiXeD {n}",
      "epoch {n}{n}{n} on node X{n}Y from k{n}ü",  // a long number, a variable to fold, one past ASCII
      "",
  };
  RowBatch b(Signal::kLogs);
  for (size_t r = 0; r < rows; ++r) {
    std::string body;
    if (mostly_structured ? r % 4 != 0 : r % 50 == 49) {
      size_t h = anyvalue::BeginKvList(&body);
      anyvalue::AppendKey(&body, "event");
      anyvalue::AppendString(&body, "structured-" + std::to_string(r));
      anyvalue::EndList(&body, h, 1);
    } else if (r % 37 == 36) {
      anyvalue::AppendInt(&body, static_cast<int64_t>(r) * 1001);
    } else {
      std::string text = shapes[r % shapes.size()];
      for (size_t at; (at = text.find("{n}")) != std::string::npos;)
        text.replace(at, 3, std::to_string(r * 7919 % 100003));
      for (size_t at; (at = text.find("{hex}")) != std::string::npos;) {
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(r * 0x9e3779b97f4a7c15ull));
        text.replace(at, 5, hex);
      }
      anyvalue::AppendString(&body, text);
    }
    b.SetU64(logs_col::kTimestamp, 1000 + r);
    b.SetBytes(logs_col::kBody, body);
    b.FinishRow();
  }
  return b;
}

// As for attribute values: the log bodies' template encoder passes each
// row's variables and each new template's words, and the filter is the same.
TEST(SkipIndexBuilderTest, BodyTextPassedByTheTemplateEncoderMakesTheSameFilter) {
  const RowBatch batch = LogsWithBodies(2000);
  const std::string expected = FilterOf(batch);
  ASSERT_NE(expected, FilterOf(TimestampsOnly(batch)));
  EXPECT_EQ(FilterThroughEncoder(batch, {logs_col::kBody}, batch), expected);
  EXPECT_EQ(FilterThroughEncoder(batch, {logs_col::kBody}, TimestampsOnly(batch)), expected);
}

// Mostly structured bodies make the template encoder give up: the index
// then reads the bodies itself.
TEST(SkipIndexBuilderTest, BodyTextOfAnAbandonedTemplateEncodingIsReadAgain) {
  const RowBatch batch = LogsWithBodies(2000, /*mostly_structured=*/true);
  const std::string expected = FilterOf(batch);
  EXPECT_EQ(FilterThroughEncoder(batch, {logs_col::kBody}, batch), expected);
  EXPECT_NE(FilterThroughEncoder(batch, {logs_col::kBody}, TimestampsOnly(batch)), expected);
}

}  // namespace
}  // namespace otelstack

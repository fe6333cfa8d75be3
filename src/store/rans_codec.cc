#include "store/rans_codec.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/varint.h"

namespace otelstack {

namespace {

// The coder's state x stays in [kLow, 2^31) between symbols; it moves out a
// byte at a time (the "byte-wise" rANS variant).
constexpr uint32_t kLow = 1u << 23;

// Scale of a stream whose alphabet uses `used` symbols: each needs at least
// one slot, and a few times that leaves room for their shares.
uint32_t ScaleBitsFor(size_t used) { return used <= 1024 ? kRansMinScaleBits : 14; }

Status Corrupt(const char* what) { return Status::Corruption(std::string("bad rANS stream: ") + what); }

}  // namespace

RansModel::RansModel(std::span<const uint32_t> counts) : frequencies_(counts.size(), 0) {
  const uint64_t total = std::accumulate(counts.begin(), counts.end(), uint64_t{0});
  const size_t used = std::count_if(counts.begin(), counts.end(), [](uint32_t c) { return c != 0; });
  scale_bits_ = ScaleBitsFor(used);
  const int64_t slots = int64_t{1} << scale_bits_;
  // Largest remainder: each symbol takes the floor of its share (at least
  // one slot), then the slots left go to the largest remainders; slots
  // taken by the "at least one" go back from the largest shares.
  int64_t left = slots;
  std::vector<std::pair<uint64_t, uint32_t>> remainders;  // (remainder, symbol)
  for (size_t s = 0; s < counts.size(); ++s) {
    if (counts[s] == 0) continue;
    const uint64_t scaled = uint64_t{counts[s]} * slots;
    frequencies_[s] = std::max<uint32_t>(1, static_cast<uint32_t>(scaled / total));
    left -= frequencies_[s];
    remainders.emplace_back(scaled % total, static_cast<uint32_t>(s));
  }
  if (left > 0) {
    std::sort(remainders.begin(), remainders.end(), std::greater<>());
    for (size_t i = 0; left > 0; i = (i + 1) % remainders.size(), --left) ++frequencies_[remainders[i].second];
  }
  while (left < 0) {  // at most one slot per symbol below the floor: a few passes
    std::vector<uint32_t> order;
    for (size_t s = 0; s < counts.size(); ++s) {
      if (frequencies_[s] > 1) order.push_back(static_cast<uint32_t>(s));
    }
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return frequencies_[a] > frequencies_[b]; });
    for (size_t i = 0; i < order.size() && left < 0; ++i, ++left) --frequencies_[order[i]];
  }
}

size_t RansModel::EncodedSize(std::span<const uint32_t> counts) const {
  size_t table = 1;
  double bits = 0;
  for (size_t s = 0; s < frequencies_.size(); ++s) {
    table += VarintLength(frequencies_[s]);
    if (counts[s] != 0) bits += counts[s] * (scale_bits_ - std::log2(static_cast<double>(frequencies_[s])));
  }
  return table + static_cast<size_t>(std::ceil(bits / 8)) + 2 * sizeof(uint32_t);  // two final states
}

void RansEncode(const RansModel& model, std::span<const uint16_t> symbols, std::string* out) {
  const uint32_t scale = model.scale_bits();
  const std::vector<uint32_t>& freq = model.frequencies();
  out->push_back(static_cast<char>(scale));
  for (uint32_t f : freq) PutVarint64(out, f);

  // Per symbol: its first slot, and a reciprocal of its frequency that
  // turns x / f into a multiply and a shift. With m = floor(2^48 / f) + 1,
  // (x * m) >> 48 == floor(x / f) for x < 2^31 and f <= 2^15: the error
  // x * (m - 2^48 / f) / 2^48 < 2^-17 never reaches the next integer, which
  // lies at least 1 / f >= 2^-15 above x / f.
  struct Coder {
    uint32_t start;
    uint32_t freq;
    uint64_t reciprocal;
  };
  std::vector<Coder> coders(freq.size());
  for (uint32_t s = 0, start = 0; s < freq.size(); start += freq[s], ++s) {
    coders[s] = {start, freq[s], freq[s] == 0 ? 0 : (uint64_t{1} << 48) / freq[s] + 1};
  }

  // rANS codes last in, first out: symbols are encoded backwards, and the
  // bytes written backwards from the end of a buffer, so that they come out
  // in decoding order. A symbol moves out at most two bytes (x < 2^31 and
  // x_max >= 2^(31 - scale) >= 2^16). Symbol i goes through state i % 2:
  // the decoder's two states are independent chains, which it works on at
  // once.
  thread_local std::string buffer;
  buffer.resize(2 * symbols.size() + 2 * sizeof(uint32_t));
  char* const end = buffer.data() + buffer.size();
  char* p = end;
  uint32_t states[2] = {kLow, kLow};
  for (size_t i = symbols.size(); i-- > 0;) {
    uint32_t& x = states[i & 1];
    const Coder& c = coders[symbols[i]];
    const uint32_t x_max = c.freq << (31 - scale);  // x < x_max keeps the next x below 2^31
    while (x >= x_max) {
      *--p = static_cast<char>(x & 0xff);
      x >>= 8;
    }
    const uint32_t q = static_cast<uint32_t>((static_cast<unsigned __int128>(x) * c.reciprocal) >> 48);
    x = (q << scale) + (x - q * c.freq) + c.start;
  }
  for (int k = 1; k >= 0; --k) {  // state 0 first, each little-endian
    p -= sizeof(uint32_t);
    EncodeFixed32(p, states[k]);
  }
  out->append(p, static_cast<size_t>(end - p));
}

bool RansEncodeIfIndependent(std::span<const uint16_t> symbols, size_t alphabet, std::string* coded) {
  // Predicted right this many times as often as independent draws would be
  // (plus the slack, for short streams): structure.
  constexpr double kMaxHitExcess = 1.25;
  constexpr double kHitSlack = 16;
  const size_t n = symbols.size();
  if (n < 2 || alphabet > kRansMaxAlphabet) return false;
  std::vector<uint32_t> counts(alphabet);
  constexpr size_t kContextSlots = 4096;
  constexpr uint32_t kNoPrediction = UINT32_MAX;
  std::vector<uint32_t> follower(kContextSlots, kNoPrediction);  // by hashed context
  size_t predictions = 0, hits = 0;
  uint64_t context = 0;  // the last three symbols, 16 bits each
  // The prediction test runs on a prefix: enough for its verdict, at a
  // fraction of the cost on long streams.
  constexpr size_t kTestedSymbols = 2048;
  for (size_t i = 0; i < n; ++i) {
    const uint16_t k = symbols[i];
    ++counts[k];
    if (i >= 3 && i < kTestedSymbols) {
      uint32_t& predicted = follower[(context * 0x9E3779B97F4A7C15ULL) >> 52];  // 12 bits: kContextSlots
      if (predicted != kNoPrediction) {
        ++predictions;
        hits += predicted == k;
      }
      predicted = k;
    }
    context = ((context << 16) | k) & 0xFFFFFFFFFFFFULL;
  }
  double sum_p2 = 0;  // for independent draws, estimated from all the counts
  for (uint32_t c : counts) sum_p2 += static_cast<double>(c) * (c - 1);
  sum_p2 /= static_cast<double>(n) * static_cast<double>(n - 1);
  if (static_cast<double>(hits) > kMaxHitExcess * sum_p2 * static_cast<double>(predictions) + kHitSlack) return false;
  coded->clear();
  RansEncode(RansModel(counts), symbols, coded);
  return true;
}

Status RansDecode(std::string_view in, size_t count, uint32_t alphabet, std::vector<uint16_t>* out) {
  if (alphabet == 0 || alphabet > kRansMaxAlphabet) return Corrupt("alphabet out of range");
  if (in.empty()) return Corrupt("empty");
  const uint32_t scale = static_cast<unsigned char>(in[0]);
  in.remove_prefix(1);
  if (scale < kRansMinScaleBits || scale > kRansMaxScaleBits) return Corrupt("bad scale");
  const uint32_t slots = 1u << scale;

  struct Symbol {
    uint32_t start;
    uint32_t freq;
  };
  std::vector<Symbol> symbols(alphabet);
  std::vector<uint16_t> symbol_of_slot(slots);
  uint32_t start = 0;
  for (uint32_t s = 0; s < alphabet; ++s) {
    uint64_t f;
    if (!GetVarint64(&in, &f) || f > slots - start) return Corrupt("bad frequency table");
    symbols[s] = {start, static_cast<uint32_t>(f)};
    std::fill_n(symbol_of_slot.begin() + start, f, static_cast<uint16_t>(s));
    start += static_cast<uint32_t>(f);
  }
  if (start != slots) return Corrupt("frequencies do not fill the scale");

  if (in.size() < 8) return Corrupt("truncated states");
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const auto* end = p + in.size();
  uint32_t x[2];
  for (uint32_t& state : x) {
    state = uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
    p += 4;
    if (state < kLow || state >= (1u << 31)) return Corrupt("bad state");
  }

  out->resize(count);
  uint16_t* dst = out->data();
  const uint32_t mask = slots - 1;
  auto step = [&](uint32_t& state, size_t i) {
    const uint32_t slot = state & mask;
    const uint16_t s = symbol_of_slot[slot];
    dst[i] = s;
    state = symbols[s].freq * (state >> scale) + slot - symbols[s].start;
    while (state < kLow) {
      if (p == end) return false;
      state = (state << 8) | *p++;
    }
    return true;
  };
  size_t i = 0;
  for (; i + 1 < count; i += 2) {
    if (!step(x[0], i) || !step(x[1], i + 1)) return Corrupt("truncated");
  }
  if (i < count && !step(x[0], i)) return Corrupt("truncated");
  if (p != end || x[0] != kLow || x[1] != kLow) return Corrupt("states do not return to their start");
  return Status::OK();
}

}  // namespace otelstack

// HashSet64: a set of 64-bit hash values, for deduplicating many hashes fast.
//
// Open addressing with linear probing over a power-of-two table that is at
// most half full. The values are expected to be hashes already (uniformly
// spread), so a value's own low bits choose its slot. Clear() keeps the
// table's capacity, so a set reused for batch after batch of similar size
// allocates only while it first grows.
//
// Not thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace otelstack {

class HashSet64 {
 public:
  // Adds `v`; true when it was not in the set yet.
  bool Insert(uint64_t v) {
    if (v == kEmpty) {
      bool added = !has_empty_value_;
      has_empty_value_ = true;
      return added;
    }
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    size_t mask = slots_.size() - 1;
    for (size_t i = v & mask;; i = (i + 1) & mask) {
      if (slots_[i] == v) return false;
      if (slots_[i] == kEmpty) {
        slots_[i] = v;
        ++size_;
        return true;
      }
    }
  }

  size_t size() const { return size_ + (has_empty_value_ ? 1 : 0); }

  // Starts loading the slot where Insert(v) would look first. A large set
  // does not fit the cache: hinting a few inserts ahead hides the miss.
  void Prefetch(uint64_t v) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[v & (slots_.size() - 1)], 1);
  }

  // Calls f(v) once for each value in the set, in no particular order.
  template <typename F>
  void ForEach(F&& f) const {
    if (has_empty_value_) f(kEmpty);
    // About half the slots are empty, at random: a branch per slot would be
    // mispredicted half the time. Values are first gathered without a
    // branch (each slot is written, the position advances past values only).
    constexpr size_t kChunk = 256;
    uint64_t values[kChunk];
    for (size_t begin = 0; begin < slots_.size(); begin += kChunk) {
      const size_t end = std::min(slots_.size(), begin + kChunk);
      size_t n = 0;
      for (size_t i = begin; i < end; ++i) {
        values[n] = slots_[i];
        n += slots_[i] != kEmpty;
      }
      for (size_t i = 0; i < n; ++i) f(values[i]);
    }
  }

  void Clear() {
    if (size_ != 0) std::fill(slots_.begin(), slots_.end(), kEmpty);
    size_ = 0;
    has_empty_value_ = false;
  }

 private:
  static constexpr uint64_t kEmpty = 0;  // marks a free slot; the value 0 itself is a flag

  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(64, old.size() * 2), kEmpty);
    size_ = 0;
    for (uint64_t v : old) {
      if (v != kEmpty) Insert(v);
    }
  }

  std::vector<uint64_t> slots_;  // kEmpty or a value
  size_t size_ = 0;              // values in slots_
  bool has_empty_value_ = false;
};

}  // namespace otelstack

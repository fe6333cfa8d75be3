// StringIndex: numbers distinct strings 0, 1, 2, ... in order of first
// insertion (dictionary building: column dictionaries, shredded attribute
// fields, message templates).
//
// It stores views, not copies: an inserted string must stay valid until
// Clear() or destruction. Open addressing with linear probing over a
// power-of-two table at most half full; each slot keeps the string's 64-bit
// hash, so a probe compares bytes only when the hashes are equal. Nothing is
// allocated per entry, unlike std::unordered_map's nodes; Clear() keeps the
// capacity for reuse.
//
// Not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "common/bytes_equal.h"
#include "common/hash.h"

namespace otelstack {

class StringIndex {
 public:
  // Returns {id of s, true when s was added by this call}.
  std::pair<uint32_t, bool> Insert(std::string_view s) {
    if ((keys_.size() + 1) * 2 > slots_.size()) Grow();
    const uint64_t hash = HashBytes(s);
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.id_plus_one == 0) {
        slot = Slot{hash, static_cast<uint32_t>(keys_.size() + 1)};
        keys_.push_back(s);
        return {slot.id_plus_one - 1, true};
      }
      if (slot.hash == hash && BytesEqual(keys_[slot.id_plus_one - 1], s)) return {slot.id_plus_one - 1, false};
    }
  }

  // The id of s, or kAbsent.
  static constexpr uint32_t kAbsent = UINT32_MAX;
  uint32_t Find(std::string_view s) const {
    if (slots_.empty()) return kAbsent;
    const uint64_t hash = HashBytes(s);
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.id_plus_one == 0) return kAbsent;
      if (slot.hash == hash && BytesEqual(keys_[slot.id_plus_one - 1], s)) return slot.id_plus_one - 1;
    }
  }

  size_t size() const { return keys_.size(); }
  // The strings, by id.
  const std::vector<std::string_view>& keys() const { return keys_; }

  void Clear() {
    if (!keys_.empty()) std::fill(slots_.begin(), slots_.end(), Slot{});
    keys_.clear();
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t id_plus_one = 0;  // 0: free
  };

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(16, old.size() * 2), Slot{});
    const size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.id_plus_one == 0) continue;
      size_t i = slot.hash & mask;
      while (slots_[i].id_plus_one != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;
  std::vector<std::string_view> keys_;
};

}  // namespace otelstack

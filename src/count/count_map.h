// CountMap: key -> count, the one data structure every window is made of.
//
// Open addressing with linear probing over a power-of-two slot array; each slot keeps the key's full hash
// (computed once, when the key arrives) so probes compare 8 bytes before touching key bytes, and growth
// never rehashes a string. Key bytes are interned back to back in an arena owned by the map, so a map holds
// no per-key allocation and clear() keeps all memory for reuse: a pane's map is recycled, not freed.
//
// Counts are modulo 2^64 and a count reaching 0 removes its key (adjust_hashed(): running window totals
// subtract, and a map of signed changes stores them as two's complement). Removal shifts the probe run back
// (no tombstones), and the key's bytes stay in the arena as garbage until the garbage outweighs the live
// keys; the next new key then repacks the arena. So a view from key() lives until the next call that adds
// a key (which may grow or repack the arena); removing keys never moves key bytes.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "util/hash.h"

namespace trendtop {

class CountMap {
 public:
  struct Entry {
    uint64_t hash;
    uint64_t count;
    uint32_t offset;  // into the arena
    uint32_t length;
  };

  CountMap();
  // Adds n to key's count. False (and the count unchanged) when it would pass 2^64 - 1, which counting
  // records cannot reach; summing other processes' counts (trendtop merge) can.
  bool add(std::string_view key, uint64_t n = 1) { return add_hashed(key, hash_key(key), n); }
  // For a key whose hash_key() is already known (merging maps, sharding).
  bool add_hashed(std::string_view key, uint64_t hash, uint64_t n);
  // Adds `delta` (modulo 2^64) to the key's count and returns the new count; at 0 the key is removed.
  // `hash` is the key's hash in this map: any function of the key, used consistently (for_each_hashed()).
  uint64_t adjust_hashed(std::string_view key, uint64_t hash, int64_t delta);
  uint64_t get(std::string_view key) const;
  uint64_t get_hashed(std::string_view key, uint64_t hash) const;
  // The key's entry, or null.
  const Entry* find_hashed(std::string_view key, uint64_t hash) const;
  // Adds every key of `other` into this map.
  void merge(const CountMap& other);
  void clear();
  // Memory to fit: slots up to 3/4 full (probes get longer, but a map that stopped growing is mostly read)
  // and the arena without garbage or spare capacity. A new key after this grows the map as usual.
  void pack();

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view key(const Entry& e) const { return {arena_.data() + e.offset, e.length}; }
  // Visits every (key, count).
  template <typename F>
  void for_each(F&& f) const {
    for (const Entry& e : slots_)
      if (e.count != 0) f(key(e), e.count);
  }
  // Visits every entry (with its hash).
  template <typename F>
  void for_each_entry(F&& f) const {
    for (const Entry& e : slots_)
      if (e.count != 0) f(e);
  }
  // Visits every entry stored with this hash: keys hashed alike on purpose (a group under one hash) are
  // found without a pass over the map, since linear probing keeps them in the run from the hash's slot.
  template <typename F>
  void for_each_hashed(uint64_t hash, F&& f) const {
    for (size_t i = hash & mask_; slots_[i].count != 0; i = (i + 1) & mask_)
      if (slots_[i].hash == hash) f(key(slots_[i]), slots_[i].count);
  }
  // Slots (a clear() costs this many, whatever size() is).
  size_t capacity() const { return slots_.size(); }
  // Bytes held, for the memory accounting.
  size_t memory() const { return slots_.capacity() * sizeof(Entry) + arena_.capacity(); }

 private:
  // Moves every entry into a table of `slots` slots (a power of two, more than size_).
  void rehash(size_t slots);
  // Stores a new key (not in the map) with count n != 0.
  void insert(std::string_view key, uint64_t hash, uint64_t n);
  void erase_slot(size_t i);
  void repack();
  std::vector<Entry> slots_;  // count == 0 marks an empty slot: a stored key always has count != 0
  std::vector<char> arena_;
  size_t size_ = 0;
  size_t mask_;
  size_t garbage_ = 0;  // arena bytes of removed keys
};

}  // namespace trendtop

// CountMap: key -> count, the one data structure every window is made of.
//
// Open addressing with linear probing over a power-of-two slot array; each slot keeps the key's full hash
// (computed once, when the key arrives) so probes compare 8 bytes before touching key bytes, and growth
// never rehashes a string. Key bytes are interned back to back in an arena owned by the map, so a map holds
// no per-key allocation and clear() keeps all memory for reuse: a pane's map is recycled, not freed.
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
  uint64_t get(std::string_view key) const;
  uint64_t get_hashed(std::string_view key, uint64_t hash) const;
  // Adds every key of `other` into this map.
  void merge(const CountMap& other);
  void clear();

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view key(const Entry& e) const { return {arena_.data() + e.offset, e.length}; }
  // Visits every (key, count).
  template <typename F>
  void for_each(F&& f) const {
    for (const Entry& e : slots_)
      if (e.count != 0) f(key(e), e.count);
  }
  // Bytes held, for the memory accounting.
  size_t memory() const { return slots_.capacity() * sizeof(Entry) + arena_.capacity(); }

 private:
  void grow();
  std::vector<Entry> slots_;  // count == 0 marks an empty slot: a stored key always has count >= 1
  std::vector<char> arena_;
  size_t size_ = 0;
  size_t mask_;
};

}  // namespace trendtop

#include "count/count_map.h"

#include <cstring>

namespace trendtop {

namespace {
constexpr size_t kInitialSlots = 64;
}  // namespace

CountMap::CountMap() : slots_(kInitialSlots, Entry{0, 0, 0, 0}), mask_(kInitialSlots - 1) {}

bool CountMap::add_hashed(std::string_view key, uint64_t hash, uint64_t n) {
  if (n == 0) return true;
  size_t i = hash & mask_;
  for (;;) {
    Entry& e = slots_[i];
    if (e.count == 0) break;
    // Not memcmp: with only empty keys interned the arena's data() is null, which memcmp must not get.
    if (e.hash == hash && this->key(e) == key) {
      if (e.count > UINT64_MAX - n) return false;  // a count wrapped to 0 would also empty the slot
      e.count += n;
      return true;
    }
    i = (i + 1) & mask_;
  }
  // New key. Keep the load factor under 1/2 so probe sequences stay short.
  if ((size_ + 1) * 2 > slots_.size()) {
    grow();
    i = hash & mask_;
    while (slots_[i].count != 0) i = (i + 1) & mask_;
  }
  uint32_t offset = static_cast<uint32_t>(arena_.size());
  arena_.insert(arena_.end(), key.begin(), key.end());
  slots_[i] = Entry{hash, n, offset, static_cast<uint32_t>(key.size())};
  ++size_;
  return true;
}

uint64_t CountMap::get(std::string_view key) const {
  return get_hashed(key, hash_key(key));
}

uint64_t CountMap::get_hashed(std::string_view key, uint64_t hash) const {
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    const Entry& e = slots_[i];
    if (e.count == 0) return 0;
    if (e.hash == hash && this->key(e) == key) return e.count;
  }
}

void CountMap::merge(const CountMap& other) {
  for (const Entry& e : other.slots_)
    if (e.count != 0) add_hashed(other.key(e), e.hash, e.count);
}

void CountMap::clear() {
  if (size_ != 0) std::memset(slots_.data(), 0, slots_.size() * sizeof(Entry));
  arena_.clear();
  size_ = 0;
}

void CountMap::grow() {
  std::vector<Entry> old(slots_.size() * 2, Entry{0, 0, 0, 0});
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  for (const Entry& e : old) {
    if (e.count == 0) continue;
    size_t i = e.hash & mask_;
    while (slots_[i].count != 0) i = (i + 1) & mask_;
    slots_[i] = e;
  }
}

}  // namespace trendtop

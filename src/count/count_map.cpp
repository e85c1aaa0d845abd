#include "count/count_map.h"

#include <cstring>

namespace trendtop {

namespace {
constexpr size_t kInitialSlots = 64;
}  // namespace

CountMap::CountMap() : slots_(kInitialSlots, Entry{0, 0, 0, 0}), mask_(kInitialSlots - 1) {}

bool CountMap::add_hashed(std::string_view key, uint64_t hash, uint64_t n) {
  if (n == 0) return true;
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    Entry& e = slots_[i];
    if (e.count == 0) break;
    // Not memcmp: with only empty keys interned the arena's data() is null, which memcmp must not get.
    if (e.hash == hash && this->key(e) == key) {
      if (e.count > UINT64_MAX - n) return false;  // a count wrapped to 0 would also empty the slot
      e.count += n;
      return true;
    }
  }
  insert(key, hash, n);
  return true;
}

uint64_t CountMap::adjust_hashed(std::string_view key, uint64_t hash, int64_t delta) {
  uint64_t n = static_cast<uint64_t>(delta);
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    Entry& e = slots_[i];
    if (e.count == 0) break;
    if (e.hash == hash && this->key(e) == key) {
      e.count += n;
      if (e.count != 0) return e.count;
      erase_slot(i);
      return 0;
    }
  }
  if (n != 0) insert(key, hash, n);
  return n;
}

void CountMap::insert(std::string_view key, uint64_t hash, uint64_t n) {
  // Removed keys' bytes outweigh the live ones: repack before the arena grows further.
  if (garbage_ > 4096 && garbage_ * 2 > arena_.size()) repack();
  // Keep the load factor under 1/2 so probe sequences stay short.
  if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
  size_t i = hash & mask_;
  while (slots_[i].count != 0) i = (i + 1) & mask_;
  uint32_t offset = static_cast<uint32_t>(arena_.size());
  arena_.insert(arena_.end(), key.begin(), key.end());
  slots_[i] = Entry{hash, n, offset, static_cast<uint32_t>(key.size())};
  ++size_;
}

// Linear probing without tombstones: the entries after the hole that may move into it (their home slot is
// not between the hole and them) move back, so every key stays reachable from its home with no empty slot
// in between.
void CountMap::erase_slot(size_t i) {
  garbage_ += slots_[i].length;
  --size_;
  for (size_t j = (i + 1) & mask_; slots_[j].count != 0; j = (j + 1) & mask_) {
    size_t home = slots_[j].hash & mask_;
    if (((j - home) & mask_) >= ((j - i) & mask_)) {
      slots_[i] = slots_[j];
      i = j;
    }
  }
  slots_[i] = Entry{0, 0, 0, 0};
}

void CountMap::repack() {
  std::vector<char> packed;
  packed.reserve(arena_.size() - garbage_);
  for (Entry& e : slots_) {
    if (e.count == 0) continue;
    uint32_t offset = static_cast<uint32_t>(packed.size());
    packed.insert(packed.end(), arena_.begin() + e.offset, arena_.begin() + e.offset + e.length);
    e.offset = offset;
  }
  arena_.swap(packed);
  garbage_ = 0;
}

uint64_t CountMap::get(std::string_view key) const {
  return get_hashed(key, hash_key(key));
}

uint64_t CountMap::get_hashed(std::string_view key, uint64_t hash) const {
  const Entry* e = find_hashed(key, hash);
  return e ? e->count : 0;
}

const CountMap::Entry* CountMap::find_hashed(std::string_view key, uint64_t hash) const {
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    const Entry& e = slots_[i];
    if (e.count == 0) return nullptr;
    if (e.hash == hash && this->key(e) == key) return &e;
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
  garbage_ = 0;
}

void CountMap::pack() {
  size_t slots = 4;
  while (size_ * 4 > slots * 3) slots *= 2;
  if (garbage_ > 0 || arena_.capacity() > arena_.size()) repack();
  if (slots < slots_.size()) rehash(slots);
}

void CountMap::rehash(size_t slots) {
  std::vector<Entry> old(slots, Entry{0, 0, 0, 0});
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
